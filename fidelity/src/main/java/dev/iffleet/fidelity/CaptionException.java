package dev.iffleet.fidelity;

/** A caption that is not a scene of the shapes world; {@link #reason()} says why. */
public class CaptionException extends Exception {

    /** Why a caption was refused. */
    public enum Reason {
        /** Matches none of world.json's caption templates (unknown words included). */
        NO_MATCHING_FORM,
        /** An object or the sign has the background's colour (world.json's contrast rule). */
        LOW_CONTRAST,
        /** Two objects share both colour and shape, so they cannot be told apart. */
        INDISTINCT_OBJECTS,
        /** The sign text is not an integer the world allows (leading zero, too many digits, too large). */
        BAD_SIGN_TEXT
    }

    private final Reason reason;
    private final String caption;

    public CaptionException(Reason reason, String caption, String detail) {
        super(reason + ": " + detail + " in \"" + caption + "\"");
        this.reason = reason;
        this.caption = caption;
    }

    public Reason reason() {
        return reason;
    }

    public String caption() {
        return caption;
    }
}
