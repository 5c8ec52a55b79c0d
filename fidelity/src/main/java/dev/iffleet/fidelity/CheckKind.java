package dev.iffleet.fidelity;

/** What one check of a {@link Verdict} compares between the caption's scene and the image. */
public enum CheckKind {
    /** The background's palette name. */
    BACKGROUND,
    /** The number of blobs: the stated objects, or the sign alone; nothing extra. */
    OBJECT_COUNT,
    /** A blob was matched to the stated object. */
    FOUND,
    /** The object's palette colour. */
    COLOUR,
    /** The object's shape class. */
    SHAPE,
    /** The object's size name (small / large). */
    SIZE,
    /** The object's nearest canonical place: its stated position, or its slot in a row of three. */
    POSITION,
    /** The stated relation between the first and second object. */
    RELATION,
    /** The sign's colour. */
    SIGN_COLOUR,
    /** A box of the sign's size and proportions, centred. */
    SIGN_BOX,
    /** The number of glyphs on the sign equals the number of digits (the digits themselves are not read). */
    SIGN_TEXT_LENGTH
}
