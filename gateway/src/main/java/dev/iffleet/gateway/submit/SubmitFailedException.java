package dev.iffleet.gateway.submit;

/** The job could not be queued (Kafka did not acknowledge it); nothing was left behind. */
public class SubmitFailedException extends RuntimeException {

    public SubmitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
