package dev.iffleet.launcher.cli;

/** Renders one stage's progress as text, e.g. {@code stage1   [####......] 12/50}. */
final class ProgressBar {

    static final int WIDTH = 10;

    private ProgressBar() {}

    /** The bar of a stage at {@code step} of {@code total}; a total of 0 or less means not known yet. */
    static String render(String stage, int step, int total) {
        if (total <= 0) {
            return String.format("%-8s [%s] ...", stage, ".".repeat(WIDTH));
        }
        int clamped = Math.max(0, Math.min(step, total));
        int filled = (int) ((long) clamped * WIDTH / total);
        return String.format("%-8s [%s%s] %d/%d", stage, "#".repeat(filled), ".".repeat(WIDTH - filled), clamped, total);
    }

    /** The bar of a finished stage: full, with its step count when it is known. */
    static String done(String stage, int total) {
        String bar = "#".repeat(WIDTH);
        return total > 0 ? String.format("%-8s [%s] %d/%d", stage, bar, total, total)
                : String.format("%-8s [%s] done", stage, bar);
    }
}
