package dev.iffleet.launcher.cli;

import dev.iffleet.core.job.Stage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many replicas each stage needs so that the cascade sustains a target rate: a stage whose replica makes
 * {@code r} images per minute needs ceil(target / r) of them, one GPU each; the cascade then runs at the pace of its
 * slowest stage, which the plan reports with each stage's utilisation at the target.
 */
public record CascadePlan(double targetPerMin, Map<Stage, Double> perReplicaPerMin, Map<Stage, Integer> replicas) {

    public CascadePlan {
        perReplicaPerMin = Collections.unmodifiableMap(new EnumMap<>(perReplicaPerMin));
        replicas = Collections.unmodifiableMap(new EnumMap<>(replicas));
    }

    /** From per-image model time (ms) of each stage. */
    public static CascadePlan fromMsPerImage(double targetPerMin, Map<Stage, Double> msPerImage) {
        Map<Stage, Double> rates = new EnumMap<>(Stage.class);
        msPerImage.forEach((s, ms) -> rates.put(s, ms <= 0 ? Double.POSITIVE_INFINITY : 60_000.0 / ms));
        return fromRates(targetPerMin, rates);
    }

    /** From what one replica of each stage makes per minute (e.g. measured by {@code bench/run scale}). */
    public static CascadePlan fromRates(double targetPerMin, Map<Stage, Double> perReplicaPerMin) {
        if (!(targetPerMin > 0)) {
            throw new IllegalArgumentException("target must be > 0 images/min, got " + targetPerMin);
        }
        Map<Stage, Integer> replicas = new EnumMap<>(Stage.class);
        perReplicaPerMin.forEach((s, rate) -> {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("stage " + s.id() + " has no positive rate: " + rate);
            }
            // a hair of tolerance, so 600 / (600 / 40) is 40 replicas and not 41 from rounding
            replicas.put(s, Math.max(1, (int) Math.ceil(targetPerMin / rate - 1e-9)));
        });
        return new CascadePlan(targetPerMin, perReplicaPerMin, replicas);
    }

    /** One GPU per replica. */
    public int gpus() {
        return replicas.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** What the planned fleet sustains: its slowest stage's replicas x rate. */
    public double capacityPerMin() {
        return perReplicaPerMin.keySet().stream().mapToDouble(this::capacityPerMin).min().orElse(0);
    }

    public double capacityPerMin(Stage s) {
        return replicas.get(s) * perReplicaPerMin.get(s);
    }

    /** Share of the stage's planned capacity the target uses. */
    public double utilisation(Stage s) {
        return targetPerMin / capacityPerMin(s);
    }
}
