package dev.iffleet.core.worker;

/** The job was canceled while a stage worked on it: never retried, never dead-lettered; the message is acked. */
public class JobCanceledException extends RuntimeException {

    public JobCanceledException(String jobId) {
        super("job " + jobId + " was canceled");
    }
}
