package dev.iffleet.fidelity;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The analyser's answer for one (scene, image) pair: every check made, in a stable order. */
public record Verdict(Scene scene, List<Check> checks) {

    public Verdict {
        checks = List.copyOf(checks);
    }

    /** True when no check failed: the image shows what the caption says, as far as it was checked. */
    public boolean allCorrect() {
        return checks.stream().noneMatch(Check::failed);
    }

    public List<Check> failures() {
        return checks.stream().filter(Check::failed).collect(Collectors.toList());
    }

    /** The check of a kind for an object (-1 for scene-level checks), if it was made. */
    public Optional<Check> check(CheckKind kind, int object) {
        return checks.stream().filter(c -> c.kind() == kind && c.object() == object).findFirst();
    }

    /** The checks about one stated object (found, colour, shape, size, position). */
    public List<Check> objectChecks(int object) {
        return checks.stream().filter(c -> c.object() == object).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return (allCorrect() ? "correct" : "wrong") + " \"" + scene.caption() + "\""
                + checks.stream().map(c -> "\n  " + c).collect(Collectors.joining());
    }
}
