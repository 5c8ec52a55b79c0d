package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FidelityAnalyserTest {

    private final World world = TestWorld.get();
    private final CaptionParser parser = new CaptionParser(world);
    private final SceneRenderer renderer = new SceneRenderer(world);
    private final FidelityAnalyser analyser = new FidelityAnalyser(world);

    @Test
    void checksEveryStatedAttributeOfAPair() throws CaptionException {
        Scene scene = parser.parse("a small red circle left of a large blue square on a white background");
        Verdict verdict = analyser.check(scene, renderer.render(scene, 64, new Random(1)));
        assertTrue(verdict.allCorrect(), verdict::toString);
        assertEquals(List.of("BACKGROUND", "OBJECT_COUNT", "FOUND", "COLOUR", "SHAPE", "SIZE", "FOUND", "COLOUR",
                "SHAPE", "SIZE", "RELATION"), kinds(verdict));
        assertEquals("square", verdict.check(CheckKind.SHAPE, 1).orElseThrow().observed());
        assertEquals("left of", verdict.check(CheckKind.RELATION, -1).orElseThrow().observed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a large red ring in the center on a blue background",
        "a red sign that says 605 on a green background"})
    void theFleetsWatermarkIsNoObjectButAnObjectThereIs(String caption) throws CaptionException {
        Scene scene = parser.parse(caption);
        for (int side : new int[] {64, 1024}) {
            BufferedImage img = renderer.render(scene, side, new Random(4));
            int k62 = (int) (62 * side / 1024.0);
            int k14 = (int) (14 * side / 1024.0);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE); // where and how large the fleet stamps its mark
            g.fillRect(side - k14 - k62, side - k14 - k62, k62, k62);
            g.dispose();
            assertTrue(analyser.check(scene, img).allCorrect(), side + " px: " + analyser.check(scene, img));
        }
        BufferedImage extra = renderer.render(scene, 1024, new Random(4));
        java.awt.Graphics2D g = extra.createGraphics();
        g.setColor(java.awt.Color.WHITE); // a real object reaching beyond the stamp's box still counts
        g.fillRect(800, 800, 200, 200);
        g.dispose();
        assertFalse(analyser.check(scene, extra).allCorrect());
    }

    @Test
    void aSwappedPairFailsOnlyTheRelation() throws CaptionException {
        Verdict verdict = judge("a small red circle above a large blue square on a white background",
                "a small red circle below a large blue square on a white background", 1024);
        assertEquals(List.of("RELATION"), failed(verdict));
        assertEquals("below", verdict.check(CheckKind.RELATION, -1).orElseThrow().observed());
    }

    @Test
    void aMissingObjectIsNotFoundAndItsAttributesAreNotChecked() throws CaptionException {
        Scene stated = parser.parse("a green star, a blue ring and a red diamond on a gray background");
        Scene shown = stated.withObjects(List.of(stated.objects().get(0), stated.objects().get(2)));
        Verdict verdict = analyser.check(stated, renderer.render(shown, 64, new Random(3)));
        assertEquals(List.of("OBJECT_COUNT", "FOUND"), failed(verdict));
        assertEquals(Check.Status.FAIL, verdict.check(CheckKind.FOUND, 1).orElseThrow().status());
        assertEquals(Check.Status.NOT_CHECKED, verdict.check(CheckKind.COLOUR, 1).orElseThrow().status());
        assertEquals(Check.Status.PASS, verdict.check(CheckKind.POSITION, 2).orElseThrow().status());
    }

    @Test
    void anExtraObjectFailsTheCount() throws CaptionException {
        Verdict verdict = judge("a large purple triangle on the left on a yellow background",
                "a large purple triangle left of a small black ring on a yellow background", 256);
        assertEquals(List.of("OBJECT_COUNT"), failed(verdict));
    }

    @Test
    void readsTheWeakestContrastAt64Pixels() throws CaptionException {
        String star = "a small orange star at the bottom on a yellow background";
        Verdict verdict = judge(star, star, 64);
        assertTrue(verdict.allCorrect(), verdict::toString);
        String circle = "a small orange circle at the bottom on a yellow background";
        assertEquals(List.of("SHAPE"), failed(judge(circle, star, 64)));
    }

    @Test
    void aSignOfTheWrongColourAndLengthFailsThoseChecks() throws CaptionException {
        Verdict verdict = judge("a red sign that says 42 on a white background",
                "a blue sign that says 427 on a white background", 64);
        assertEquals(List.of("SIGN_COLOUR", "SIGN_TEXT_LENGTH"), failed(verdict));
        assertEquals("3 glyphs", verdict.check(CheckKind.SIGN_TEXT_LENGTH, -1).orElseThrow().observed());
    }

    @Test
    void aShapeInsteadOfASignFailsTheBox() throws CaptionException {
        Verdict verdict = judge("a green sign that says 5 on a black background",
                "a large green square in the center on a black background", 1024);
        assertFalse(verdict.allCorrect());
        assertEquals(Check.Status.FAIL, verdict.check(CheckKind.SIGN_BOX, -1).orElseThrow().status());
    }

    @Test
    void anEmptyImageFindsNothing() throws CaptionException {
        Scene stated = parser.parse("a large white ring in the center on a blue background");
        BufferedImage blank = renderer.render(stated.withObjects(List.of()), 64, new Random(8));
        assertEquals(List.of("OBJECT_COUNT", "FOUND"), failed(analyser.check(stated, blank)));
    }

    /** The verdict on a render of the shown caption, checked against the stated one. */
    private Verdict judge(String stated, String shown, int size) throws CaptionException {
        return analyser.check(parser.parse(stated), renderer.render(parser.parse(shown), size, new Random(size)));
    }

    private static List<String> kinds(Verdict verdict) {
        return verdict.checks().stream().map(c -> c.kind().name()).collect(Collectors.toList());
    }

    private static List<String> failed(Verdict verdict) {
        return verdict.failures().stream().map(c -> c.kind().name()).collect(Collectors.toList());
    }
}
