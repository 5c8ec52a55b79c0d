package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CaptionParserTest {

    private final World world = TestWorld.get();
    private final CaptionParser parser = new CaptionParser(world);

    @Test
    void parsesOneObjectAtAPosition() throws CaptionException {
        Scene scene = parser.parse("a large red circle on the left on a white background");
        assertEquals(Form.ONE, scene.form());
        assertEquals("white", scene.background().name());
        assertEquals("on the left", scene.placement());
        assertEquals(1, scene.objects().size());
        Scene.SceneObject o = scene.objects().get(0);
        assertEquals(world.colour("red"), o.colour());
        assertEquals(Shape.CIRCLE, o.shape());
        assertEquals("large", o.sizeName());
        assertEquals(0.36, o.size());
        assertEquals(new Point(0.27, 0.5), o.centre());
    }

    @Test
    void parsesTwoObjectsInARelation() throws CaptionException {
        Scene scene = parser.parse("a small blue star above a large orange ring on a gray background");
        assertEquals(Form.TWO, scene.form());
        assertEquals("above", scene.placement());
        assertEquals("small blue star", scene.objects().get(0).describe());
        assertEquals("large orange ring", scene.objects().get(1).describe());
        assertEquals(new Point(0.5, 0.28), scene.objects().get(0).centre());
        assertEquals(new Point(0.5, 0.72), scene.objects().get(1).centre());
    }

    @Test
    void parsesARowOfThreeLeftToRight() throws CaptionException {
        Scene scene = parser.parse("a red square, a green triangle and a purple diamond on a black background");
        assertEquals(Form.THREE, scene.form());
        assertEquals(3, scene.objects().size());
        assertEquals("small green triangle", scene.objects().get(1).describe());
        assertEquals(new Point(0.8, 0.5), scene.objects().get(2).centre());
    }

    @Test
    void parsesASign() throws CaptionException {
        Scene scene = parser.parse("a yellow sign that says 407 on a blue background");
        assertEquals(Form.SIGN, scene.form());
        assertEquals(0, scene.objects().size());
        assertEquals(new Scene.Sign(world.colour("yellow"), "407"), scene.sign().orElseThrow());
    }

    @Test
    void ignoresCaseSpacingAndAFullStop() throws CaptionException {
        Scene scene = parser.parse("  A Small WHITE ring   at the top on a green background. ");
        assertEquals("a small white ring at the top on a green background", scene.caption());
        assertEquals("at the top", scene.placement());
    }

    @Test
    void refusesWordsOutsideTheWorld() {
        for (String caption : List.of(
                "a large pink circle on the left on a white background",
                "a large red hexagon on the left on a white background",
                "a red circle on the left on a white background",
                "a purple sign that says 12 on a white background",
                "a lighthouse")) {
            assertRefused(CaptionException.Reason.NO_MATCHING_FORM, caption);
        }
    }

    @Test
    void refusesAColourOnItsOwnBackground() {
        assertRefused(CaptionException.Reason.LOW_CONTRAST, "a small yellow star in the center on a yellow background");
        assertRefused(CaptionException.Reason.LOW_CONTRAST,
                "a red circle, a blue square and a black ring on a black background");
        assertRefused(CaptionException.Reason.LOW_CONTRAST, "a white sign that says 5 on a white background");
    }

    @Test
    void refusesObjectsThatCannotBeToldApart() {
        assertRefused(CaptionException.Reason.INDISTINCT_OBJECTS,
                "a small red circle left of a large red circle on a white background");
    }

    @Test
    void refusesSignTextTheWorldNeverWrites() {
        assertRefused(CaptionException.Reason.BAD_SIGN_TEXT, "a red sign that says 007 on a white background");
        assertRefused(CaptionException.Reason.BAD_SIGN_TEXT, "a red sign that says 1000 on a white background");
    }

    @Test
    void parsesEverySampledCaption() throws CaptionException {
        CaptionSampler sampler = new CaptionSampler(world, new Random(3));
        for (int i = 0; i < 500; i++) {
            Form form = Form.values()[i % Form.values().length];
            Scene scene = parser.parse(sampler.next(form));
            assertEquals(form, scene.form(), scene.caption());
            assertEquals(form == Form.SIGN ? 0 : form.ordinal() + 1, scene.objects().size(), scene.caption());
        }
    }

    private void assertRefused(CaptionException.Reason reason, String caption) {
        CaptionException e = assertThrows(CaptionException.class, () -> parser.parse(caption), caption);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
