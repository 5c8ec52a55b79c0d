package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows a job's per-stage progress from successive job views: on a terminal the running stage's bar is
 * redrawn in place; otherwise one line is printed per stage, when it finishes.
 */
final class StageProgress {

    static final List<String> STAGES = List.of("encode", "stage1", "sr", "upscale");

    private final PrintStream out;
    private final boolean tty;
    private final Map<String, Integer> totals = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private String drawn;
    private String lastBar = "";

    StageProgress(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    void update(JsonNode job) {
        JsonNode progress = job.path("progress");
        String progressStage = progress.path("stage").asText("");
        if (!progressStage.isEmpty()) {
            totals.put(progressStage, progress.path("total").asInt());
        }
        for (String stage : STAGES) {
            if (!finished.contains(stage) && job.path("metrics").path(stage).hasNonNull("finished_at")) {
                finished.add(stage);
                line(ProgressBar.done(stage, totals.getOrDefault(stage, 0)), true);
            }
        }
        String running = job.path("stage").asText("");
        if (tty && job.path("status").asText().equals("running") && !running.isEmpty() && !finished.contains(running)) {
            String bar = running.equals(progressStage)
                    ? ProgressBar.render(running, progress.path("step").asInt(), progress.path("total").asInt())
                    : ProgressBar.render(running, 0, 0);
            if (!bar.equals(lastBar)) {
                line(bar, false);
                lastBar = bar;
                drawn = running;
            }
        }
    }

    /** Ends a bar left open on the terminal (a job that failed mid-stage). */
    void end() {
        if (drawn != null) {
            out.println();
            drawn = null;
        }
    }

    private void line(String text, boolean complete) {
        if (tty) {
            // carriage return + erase to end of line: redraw the current stage's bar in place
            out.print("\r" + text + "\u001b[K");
            if (complete) {
                out.println();
                drawn = null;
            }
        } else if (complete) {
            out.println(text);
        }
        out.flush();
    }
}
