package dev.iffleet.fidelity;

import java.util.Locale;

/** The caption forms of world.json's "captions", each with its own layout rule. */
public enum Form {
    /** One object at a named position. */
    ONE,
    /** Two objects in a stated relation: the first named at relation.first, the second at .second. */
    TWO,
    /** Three small objects in a row, left to right in the order named. */
    THREE,
    /** A sign with digits. */
    SIGN;

    /** The key of this form's template in world.json. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
