package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FidelityReportTest {

    private final World world = TestWorld.get();
    private final SceneRenderer renderer = new SceneRenderer(world);
    private final CaptionParser parser = new CaptionParser(world);

    private static final String CIRCLE = "a large red circle in the center on a white background";
    private static final String PAIR = "a small blue star left of a small green ring on a gray background";
    private static final String SIGN = "a white sign that says 12 on a blue background";

    @Test
    void countsPromptsFullyCorrectBySizeAndChecksByKind() throws CaptionException {
        FidelityReport report = new FidelityReport(world);
        Random random = new Random(1);
        add(report, "circle-64", CIRCLE, CIRCLE, 64, random);
        add(report, "pair-64", PAIR, PAIR, 64, random);
        add(report, "sign-1024", SIGN, SIGN, 1024, random);
        // an image of the circle captioned as the pair: wrong
        add(report, "wrong-1024", PAIR, CIRCLE, 1024, random);
        add(report, "refused-64", "a lighthouse", CIRCLE, 64, random);

        assertEquals(5, report.outcomes().size());
        assertEquals(0.6, report.fidelity(), 1e-9);
        assertEquals(2, report.bySize().get(64).pass());
        assertEquals(1, report.bySize().get(64).fail());
        assertEquals(1, report.bySize().get(1024).pass());
        assertEquals(1, report.bySize().get(1024).fail());
        assertEquals(1, report.refused());
        assertEquals(1, report.byForm().get(Form.TWO).pass());
        assertEquals(1, report.byForm().get(Form.TWO).fail());

        FidelityReport.Tally colours64 = report.byCheck(64).get(CheckKind.COLOUR);
        assertEquals(3, colours64.pass());
        assertEquals(0, colours64.fail());
        FidelityReport.Tally found1024 = report.byCheck(1024).get(CheckKind.FOUND);
        assertEquals(1, found1024.pass());
        assertEquals(1, found1024.fail());
        assertEquals(1, report.byCheck(1024).get(CheckKind.RELATION).notChecked());
        assertEquals(1.0, report.byCheck(1024).get(CheckKind.SIGN_TEXT_LENGTH).rate());
    }

    @Test
    void printsFidelityTablesAndTheFailures() throws CaptionException {
        FidelityReport report = new FidelityReport(world);
        Random random = new Random(2);
        add(report, "good.png", CIRCLE, CIRCLE, 64, random);
        add(report, "bad.png", CIRCLE, PAIR, 1024, random);
        String text = report.format(5);
        assertRow(text, "64 px", 1, 1, "100.0");
        assertRow(text, "1024 px", 1, 0, "0.0");
        assertRow(text, "all", 2, 1, "50.0");
        assertTrue(text.contains("background"), text);
        assertTrue(text.contains("first 1 of 1 not correct:"), text);
        assertTrue(text.contains("bad.png \"" + CIRCLE + "\": BACKGROUND FAIL: expected white, observed gray"), text);
    }

    /** Adds a render of the shown caption, captioned as stated. */
    private void add(FidelityReport report, String name, String stated, String shown, int size, Random random)
            throws CaptionException {
        report.add(name, stated, renderer.render(parser.parse(shown), size, random));
    }

    /** A line of the fidelity table: label, prompts, correct, percentage, however the columns are padded. */
    static void assertRow(String report, String label, int prompts, int correct, String percent) {
        String row = "(?m)^" + label + " +" + prompts + " +" + correct + " +" + Pattern.quote(percent) + " %$";
        assertTrue(Pattern.compile(row).matcher(report).find(), () -> "no row " + row + " in\n" + report);
    }
}
