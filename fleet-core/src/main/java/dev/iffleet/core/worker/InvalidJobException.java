package dev.iffleet.core.worker;

/** The job itself is wrong (bad message, missing input, impossible parameters): never retried. */
public class InvalidJobException extends RuntimeException {

    public InvalidJobException(String message) {
        super(message);
    }

    public InvalidJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
