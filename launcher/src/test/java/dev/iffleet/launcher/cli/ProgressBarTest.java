package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void fillsInProportionToSteps() {
        assertEquals("stage1   [##........] 12/50", ProgressBar.render("stage1", 12, 50));
        assertEquals("sr       [..........] 0/50", ProgressBar.render("sr", 0, 50));
        assertEquals("upscale  [#####.....] 5/10", ProgressBar.render("upscale", 5, 10));
        assertEquals("stage1   [##########] 100/100", ProgressBar.render("stage1", 100, 100));
    }

    @Test
    void clampsOutOfRangeStepsAndShowsUnknownTotals() {
        assertEquals("sr       [##########] 10/10", ProgressBar.render("sr", 12, 10));
        assertEquals("encode   [..........] ...", ProgressBar.render("encode", 0, 0));
    }

    @Test
    void finishedStagesAreFull() {
        assertEquals("stage1   [##########] 50/50", ProgressBar.done("stage1", 50));
        assertEquals("encode   [##########] done", ProgressBar.done("encode", 0));
    }

    @Test
    void withoutATerminalPrintsOneLinePerFinishedStage() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StageProgress progress = new StageProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        progress.update(json.readTree("{\"status\":\"running\",\"stage\":\"stage1\","
                + "\"progress\":{\"stage\":\"stage1\",\"step\":3,\"total\":20},"
                + "\"metrics\":{\"encode\":{\"finished_at\":1}}}"));
        progress.update(json.readTree("{\"status\":\"running\",\"stage\":\"stage1\","
                + "\"progress\":{\"stage\":\"stage1\",\"step\":15,\"total\":20},"
                + "\"metrics\":{\"encode\":{\"finished_at\":1}}}"));
        progress.update(json.readTree("{\"status\":\"succeeded\","
                + "\"metrics\":{\"encode\":{\"finished_at\":1},\"stage1\":{\"finished_at\":2}}}"));
        progress.end();
        assertEquals("encode   [##########] done\nstage1   [##########] 20/20\n",
                buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void onATerminalRedrawsTheRunningStageInPlace() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StageProgress progress = new StageProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        progress.update(json.readTree("{\"status\":\"running\",\"stage\":\"sr\","
                + "\"progress\":{\"stage\":\"sr\",\"step\":5,\"total\":10},\"metrics\":{}}"));
        progress.update(json.readTree("{\"status\":\"succeeded\",\"metrics\":{\"sr\":{\"finished_at\":2}}}"));
        String erase = "\u001b[K";
        assertEquals("\rsr       [#####.....] 5/10" + erase + "\rsr       [##########] 10/10" + erase
                + System.lineSeparator(), buf.toString(StandardCharsets.UTF_8));
    }
}
