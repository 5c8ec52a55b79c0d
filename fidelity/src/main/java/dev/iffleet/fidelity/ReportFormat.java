package dev.iffleet.fidelity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Lays out a {@link FidelityReport} as plain-text tables. */
final class ReportFormat {

    private ReportFormat() {}

    static String format(FidelityReport report, int failuresToList) {
        StringBuilder out = new StringBuilder();
        List<FidelityReport.Outcome> outcomes = report.outcomes();
        FidelityReport.Tally all = FidelityReport.prompts(outcomes);
        out.append("prompt fidelity = share of prompts fully correct\n");
        out.append(String.format(Locale.ROOT, "%-10s %8s %8s %9s%n", "image", "prompts", "correct", "fidelity"));
        Map<Integer, FidelityReport.Tally> bySize = report.bySize();
        bySize.forEach((size, t) -> out.append(row(size + " px", t)));
        out.append(row("all", all));
        if (report.refused() > 0) {
            out.append(report.refused()).append(" caption(s) refused by the parser, counted as not correct\n");
        }
        out.append(String.format(Locale.ROOT, "%n%-10s %8s %8s %9s%n", "form", "prompts", "correct", "fidelity"));
        report.byForm().forEach((form, t) -> out.append(row(form.key(), t)));

        out.append(String.format(Locale.ROOT, "%n%-18s", "check pass rate"));
        bySize.keySet().forEach(size -> out.append(String.format(Locale.ROOT, " %18s", size + " px")));
        out.append('\n');
        for (CheckKind kind : CheckKind.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", name));
            boolean any = false;
            for (int size : bySize.keySet()) {
                FidelityReport.Tally t = report.byCheck(size).get(kind);
                any |= t != null;
                line.append(String.format(Locale.ROOT, " %18s", t == null ? "-" : cell(t)));
            }
            if (any) {
                out.append(line).append('\n');
            }
        }
        List<FidelityReport.Outcome> wrong = outcomes.stream().filter(o -> !o.correct()).limit(failuresToList)
                .collect(Collectors.toList());
        if (!wrong.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nfirst %d of %d not correct:%n", wrong.size(), all.fail()));
            wrong.forEach(o -> out.append("  ").append(o.name()).append(" \"").append(o.caption()).append("\": ")
                    .append(o.refusal().map(Throwable::getMessage).orElseGet(() -> o.verdict().orElseThrow()
                            .failures().stream().map(Check::toString).collect(Collectors.joining("; "))))
                    .append('\n'));
        }
        return out.toString();
    }

    private static String row(String label, FidelityReport.Tally t) {
        return String.format(Locale.ROOT, "%-10s %8d %8d %8.1f %%%n", label, t.pass() + t.fail(), t.pass(),
                100 * t.rate());
    }

    private static String cell(FidelityReport.Tally t) {
        if (t.pass() + t.fail() == 0) {
            return "not checked";
        }
        return String.format(Locale.ROOT, "%d/%d %5.1f %%", t.pass(), t.pass() + t.fail(), 100 * t.rate());
    }
}
