package dev.iffleet.core.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a stage's model run produced for one job, by artifact name: bytes already made (tensors, read off the device
 * inside the run) and bytes whose encoding is deferred (PNGs), so that encoding happens on the completion thread
 * while the model runs the next batch.
 */
public final class Produced {

    private final List<Supplier<Map<String, byte[]>>> parts = new ArrayList<>();

    public static Produced of(Map<String, byte[]> ready) {
        Produced p = new Produced();
        Map<String, byte[]> copy = new LinkedHashMap<>(ready);
        p.parts.add(() -> copy);
        return p;
    }

    public Produced put(String name, byte[] bytes) {
        parts.add(() -> Map.of(name, bytes));
        return this;
    }

    /**
     * Adds outputs that {@code encode} makes later, off the model's path (on the completion thread, before the job's
     * record is written, so it may still flag images on the context); it must not touch NDArrays.
     */
    public Produced defer(Supplier<Map<String, byte[]>> encode) {
        parts.add(encode);
        return this;
    }

    /** Every output's bytes, encoding the deferred ones now, in the order they were added. */
    public Map<String, byte[]> resolve() {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        parts.forEach(s -> bytes.putAll(s.get()));
        return bytes;
    }
}
