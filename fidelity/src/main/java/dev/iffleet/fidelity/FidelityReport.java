package dev.iffleet.fidelity;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prompt fidelity over many (caption, image) pairs: the share of prompts whose image passes every check,
 * by image size and by caption form, and each check's pass rate by image size. A caption the world
 * cannot parse counts as a prompt that is not correct. Images are not kept.
 */
public final class FidelityReport {

    /** One judged pair: the verdict, or why the caption was refused. */
    public record Outcome(String name, String caption, int size, Optional<Verdict> verdict,
            Optional<CaptionException> refusal) {

        public boolean correct() {
            return verdict.map(Verdict::allCorrect).orElse(false);
        }
    }

    /** Counts of one check kind (or of prompts: pass = fully correct, fail = not). */
    public static final class Tally {
        private int pass;
        private int fail;
        private int notChecked;

        void add(Check.Status status) {
            switch (status) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case NOT_CHECKED -> notChecked++;
            }
        }

        public int pass() {
            return pass;
        }

        public int fail() {
            return fail;
        }

        public int notChecked() {
            return notChecked;
        }

        /** Passes over checks made (NaN when none was made). */
        public double rate() {
            return pass + fail == 0 ? Double.NaN : (double) pass / (pass + fail);
        }
    }

    private final CaptionParser parser;
    private final FidelityAnalyser analyser;
    private final List<Outcome> outcomes = new ArrayList<>();

    public FidelityReport(World world) {
        this.parser = new CaptionParser(world);
        this.analyser = new FidelityAnalyser(world);
    }

    /** Judges one image against its caption; name identifies it in the listing of failures. */
    public Outcome add(String name, String caption, BufferedImage image) {
        Outcome outcome;
        try {
            Verdict verdict = analyser.check(parser.parse(caption), image);
            outcome = new Outcome(name, caption, image.getWidth(), Optional.of(verdict), Optional.empty());
        } catch (CaptionException e) {
            outcome = new Outcome(name, caption, image.getWidth(), Optional.empty(), Optional.of(e));
        }
        outcomes.add(outcome);
        return outcome;
    }

    public List<Outcome> outcomes() {
        return Collections.unmodifiableList(outcomes);
    }

    /** Share of prompts fully correct, all sizes together (NaN when empty). */
    public double fidelity() {
        return prompts(outcomes).rate();
    }

    /** Prompts fully correct (pass) or not (fail), by image width. */
    public Map<Integer, Tally> bySize() {
        Map<Integer, Tally> tallies = new TreeMap<>();
        outcomes.forEach(o -> tallies.computeIfAbsent(o.size(), s -> new Tally())
                .add(o.correct() ? Check.Status.PASS : Check.Status.FAIL));
        return tallies;
    }

    /** Prompts fully correct by caption form; refused captions are left out (they have no form). */
    public Map<Form, Tally> byForm() {
        Map<Form, Tally> tallies = new EnumMap<>(Form.class);
        outcomes.forEach(o -> o.verdict().ifPresent(v -> tallies.computeIfAbsent(v.scene().form(), f -> new Tally())
                .add(v.allCorrect() ? Check.Status.PASS : Check.Status.FAIL)));
        return tallies;
    }

    /** Every check's outcomes by kind, for images of one width. */
    public Map<CheckKind, Tally> byCheck(int size) {
        Map<CheckKind, Tally> tallies = new EnumMap<>(CheckKind.class);
        outcomes.stream().filter(o -> o.size() == size).forEach(o -> o.verdict().ifPresent(v -> v.checks()
                .forEach(c -> tallies.computeIfAbsent(c.kind(), k -> new Tally()).add(c.status()))));
        return tallies;
    }

    public long refused() {
        return outcomes.stream().filter(o -> o.refusal().isPresent()).count();
    }

    /** The report as text: fidelity by size and form, check pass rates by size, the first failures. */
    public String format(int failuresToList) {
        return ReportFormat.format(this, failuresToList);
    }

    static Tally prompts(List<Outcome> outcomes) {
        Tally t = new Tally();
        outcomes.forEach(o -> t.add(o.correct() ? Check.Status.PASS : Check.Status.FAIL));
        return t;
    }
}
