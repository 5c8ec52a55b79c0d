package dev.iffleet.gateway.submit;

/** A request the gateway refuses (400); {@code field} names the offending JSON field when there is one. */
public class InvalidRequestException extends RuntimeException {

    private final String field;
    private final String code;

    public InvalidRequestException(String field, String message) {
        this(field, message, null);
    }

    /** @param code a machine-readable reason (e.g. {@code image_too_many_pixels}), or null */
    public InvalidRequestException(String field, String message, String code) {
        super(message);
        this.field = field;
        this.code = code;
    }

    public String field() {
        return field;
    }

    public String code() {
        return code;
    }
}
