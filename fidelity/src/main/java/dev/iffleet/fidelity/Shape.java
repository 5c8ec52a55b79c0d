package dev.iffleet.fidelity;

import java.util.Locale;

/** The shape classes of world.json; the analyser knows how to tell each one apart. */
public enum Shape {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    STAR,
    RING,
    DIAMOND;

    /** The name used in world.json and captions. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shape a world.json / caption word names. */
    public static Shape of(String word) {
        for (Shape s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no shape class for '" + word + "'");
    }
}
