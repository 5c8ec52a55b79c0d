package dev.iffleet.core.reaper;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.iffleet.core.job.Stage;
import java.util.Locale;

/**
 * A job the reaper found stuck at a stage, and why.
 *
 * @param since epoch ms since when the job has been waiting for, or running at, {@code stage}
 * @param requeues how often the reaper already re-queued this stage of the job
 * @param admissions the stage's admission counter when seen: the reaper acts only if it is still that (nobody took
 *     the job, and no other reaper acted, meanwhile)
 */
public record StuckJob(String jobId, Stage stage, Cause cause, String detail, long since, int requeues,
        String admissions) {

    /** Why a job is stuck. */
    public enum Cause {
        /** Running, but the worker that admitted it no longer heartbeats (killed, crashed, restarted). */
        WORKER_LOST,
        /** Waiting for a stage that will never admit it: its message is not in Kafka (or far overdue). */
        MESSAGE_LOST,
        /** Running far past its stage's deadline while its worker still heartbeats (a hung model call). */
        HUNG;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The reason a job failed by the reaper shows, e.g. {@code stage1: worker_lost (...); re-queued 2 times}. */
    public String failureReason() {
        return stage.id() + ": stuck, " + cause.id() + " (" + detail + "); re-queued " + requeues
                + (requeues == 1 ? " time" : " times") + ", giving up";
    }
}
