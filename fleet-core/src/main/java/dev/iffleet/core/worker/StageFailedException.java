package dev.iffleet.core.worker;

/** A stage gave up on a message after its retries; the job is marked failed and the message dead-lettered. */
public class StageFailedException extends RuntimeException {

    public StageFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
