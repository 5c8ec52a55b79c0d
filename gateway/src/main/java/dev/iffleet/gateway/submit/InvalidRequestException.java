package dev.iffleet.gateway.submit;

/** A request the gateway refuses (400); {@code field} names the offending JSON field when there is one. */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
