package dev.iffleet.fidelity;

/**
 * One comparison of a {@link Verdict}. object is the stated object's index (0-based, in caption order)
 * or -1 for checks of the whole scene; expected and observed are short words for people.
 */
public record Check(CheckKind kind, int object, Status status, String expected, String observed) {

    /** The outcome of a check; NOT_CHECKED when an earlier failure leaves nothing to compare. */
    public enum Status {
        PASS,
        FAIL,
        NOT_CHECKED
    }

    public static Check of(CheckKind kind, int object, String expected, String observed) {
        return new Check(kind, object, expected.equals(observed) ? Status.PASS : Status.FAIL, expected, observed);
    }

    public static Check judged(CheckKind kind, int object, boolean pass, String expected, String observed) {
        return new Check(kind, object, pass ? Status.PASS : Status.FAIL, expected, observed);
    }

    public static Check skipped(CheckKind kind, int object, String expected) {
        return new Check(kind, object, Status.NOT_CHECKED, expected, "-");
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    @Override
    public String toString() {
        String subject = object < 0 ? "" : "[" + (object + 1) + "]";
        return kind + subject + " " + status + ": expected " + expected + ", observed " + observed;
    }
}
