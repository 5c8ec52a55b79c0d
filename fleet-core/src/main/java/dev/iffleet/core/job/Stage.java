package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The four steps of the IF cascade, in order; the name is used in topics, Redis keys, metrics and config. */
public enum Stage {
    ENCODE("encode", 0),
    STAGE1("stage1", 64),
    SR("sr", 256),
    UPSCALE("upscale", 1024);

    private final String id;
    private final int outputSize;

    Stage(String id, int outputSize) {
        this.id = id;
        this.outputSize = outputSize;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Side in pixels of the image this stage produces at the default square size (0 for the encoder). */
    public int outputSize() {
        return outputSize;
    }

    /** The stage after this one, empty for the last. */
    public Optional<Stage> next() {
        int i = ordinal() + 1;
        return i < values().length ? Optional.of(values()[i]) : Optional.empty();
    }

    /** The stage that delivers an image of the requested output size (64, 256 or 1024). */
    public static Stage deliveringSize(int size) {
        return Arrays.stream(values())
                .filter(s -> s != ENCODE && s.outputSize == size)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("output size must be 64, 256 or 1024, got " + size));
    }

    @JsonCreator
    public static Stage fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage '" + id + "'"));
    }
}
