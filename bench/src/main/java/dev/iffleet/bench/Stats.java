package dev.iffleet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a list of samples (nearest rank). */
final class Stats {

    private final List<Long> samples = new ArrayList<>();

    void add(long v) {
        samples.add(v);
    }

    long percentile(double p) {
        if (samples.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    void addAll(Stats other) {
        samples.addAll(other.samples);
    }

    int count() {
        return samples.size();
    }

    String summary() {
        return String.format("p50 %6d  p90 %6d  max %6d", percentile(50), percentile(90), percentile(100));
    }
}
