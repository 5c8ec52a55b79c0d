package dev.iffleet.core.reaper;

import dev.iffleet.core.job.Stage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * When the reaper takes a job as stuck, and how often it re-queues one before failing it.
 *
 * @param run per stage, how long a run may last while its worker still heartbeats before it is taken as hung
 * @param workerLost how long the worker that admitted a running job may be missing from the workers hash (or stale
 *     there, or replaced by another process) before the job is taken as orphaned
 * @param lostMessage how long a job may wait for a stage whose consumer group has no lag before its message is taken
 *     as lost (nothing is waiting in Kafka, so no replica will ever admit it)
 * @param queue how long a job may wait for a stage at all, backlog or not, before its message is taken as lost
 * @param maxRequeues re-queues of one stage of one job; the next time it is stuck there it fails with the reason
 */
public record Deadlines(Map<Stage, Duration> run, Duration workerLost, Duration lostMessage, Duration queue,
        int maxRequeues) {

    public Deadlines {
        run = new EnumMap<>(run);
        for (Stage s : Stage.values()) {
            if (!run.containsKey(s)) {
                throw new IllegalArgumentException("no run deadline for stage " + s.id());
            }
        }
        if (maxRequeues < 0) {
            throw new IllegalArgumentException("max re-queues must not be negative, got " + maxRequeues);
        }
    }

    /**
     * The defaults: runs of 2 min (encode) and 15 min (diffusion stages: minutes of real model time on a GPU, with
     * room), 30 s for a lost worker (three missed heartbeats past the 10 s after which status calls it gone), 60 s for
     * a lost message, 30 min for any wait, 2 re-queues.
     */
    public static Deadlines defaults() {
        Map<Stage, Duration> run = new EnumMap<>(Stage.class);
        run.put(Stage.ENCODE, Duration.ofMinutes(2));
        run.put(Stage.STAGE1, Duration.ofMinutes(15));
        run.put(Stage.SR, Duration.ofMinutes(15));
        run.put(Stage.UPSCALE, Duration.ofMinutes(15));
        return new Deadlines(run, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(30), 2);
    }

    public Duration run(Stage stage) {
        return run.get(stage);
    }
}
