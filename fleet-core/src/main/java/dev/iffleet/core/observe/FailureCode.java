package dev.iffleet.core.observe;

import dev.iffleet.core.model.ModelUnavailableException;
import dev.iffleet.core.worker.InvalidJobException;

/** The short codes of {@code iffleet_stage_failures_total}: few and fixed, so the counter's series stay few. */
public final class FailureCode {

    /** A record that is not a stage message (dead-lettered unread). */
    public static final String POISON = "poison";
    /** A message this stage cannot read: wrong stage, missing fields (dead-lettered, never retried). */
    public static final String REJECTED = "rejected";
    /** Parameters or inputs the stage cannot use (the job fails, never retried). */
    public static final String INVALID = "invalid";
    /** The model could not run (retries spent). */
    public static final String MODEL_UNAVAILABLE = "model_unavailable";
    /** Any other failure of the run (retries spent). */
    public static final String ERROR = "error";
    /** Completion threw (Redis or Kafka down): not committed, the record is delivered again. */
    public static final String INCOMPLETE = "incomplete";

    private FailureCode() {}

    /** The code of a failed job, from the first typed cause in its chain. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJobException) {
                return INVALID;
            }
            if (t instanceof ModelUnavailableException) {
                return MODEL_UNAVAILABLE;
            }
        }
        return ERROR;
    }
}
