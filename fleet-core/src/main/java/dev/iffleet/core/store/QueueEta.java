package dev.iffleet.core.store;

import dev.iffleet.core.job.Stage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A waiting job's estimated time to completion, from what the fleet can see of itself.
 *
 * <p>With heartbeats: the stages run as a pipeline, so the jobs ahead drain at the pace of the slowest stage still
 * ahead of this job, where a stage drains the sum over its fresh ready replicas of their jobs per model-second
 * (batching shows in it: a replica that runs 8 jobs per call drains faster); then this job's own run time through
 * each stage. ETA = ahead / min(drain) + sum(own run time).
 *
 * <p>Without a fresh ready replica for some stage ahead, the old estimate: for each stage ahead its median run time
 * times (1 + jobs ahead), as if one replica ran one job at a time.
 */
public final class QueueEta {

    private QueueEta() {}

    /**
     * @param ahead queued or running jobs created before this one
     * @param stages the stages this job still has to pass, in order
     * @param medianRunMs per stage, the median of recent run times (absent: none recorded yet)
     * @param heartbeats every replica's latest report (stale and not-ready ones are skipped here)
     * @param now epoch ms, to judge which reports are fresh
     * @return ms, or empty when there is nothing to estimate from
     */
    public static Optional<Long> etaMs(int ahead, List<Stage> stages, Map<Stage, Long> medianRunMs,
            List<WorkerHeartbeat> heartbeats, long now) {
        Optional<Long> fromHeartbeats = pipelined(ahead, stages, medianRunMs, heartbeats, now);
        return fromHeartbeats.isPresent() ? fromHeartbeats : oneAtATime(ahead, stages, medianRunMs);
    }

    /** The pipeline estimate, or empty when some stage ahead has no fresh ready replica with a known pace. */
    static Optional<Long> pipelined(int ahead, List<Stage> stages, Map<Stage, Long> medianRunMs,
            List<WorkerHeartbeat> heartbeats, long now) {
        double slowest = Double.POSITIVE_INFINITY;
        double own = 0;
        for (Stage s : stages) {
            int ready = 0;
            double drain = 0;
            double batchMs = 0;
            for (WorkerHeartbeat h : heartbeats) {
                if (h.stage() == s && h.ready() && h.freshAt(now)) {
                    ready++;
                    drain += h.jobsPerSecond();
                    batchMs = Math.max(batchMs, h.msPerBatch());
                }
            }
            Long median = medianRunMs.get(s);
            if (ready == 0) {
                return Optional.empty();
            }
            if (drain == 0) {
                // replicas that have not run a job yet: assume each runs one job per median run time
                if (median == null || median <= 0) {
                    return Optional.empty();
                }
                drain = ready * 1000.0 / median;
            }
            slowest = Math.min(slowest, drain);
            own += median != null ? median : batchMs;
        }
        if (stages.isEmpty()) {
            return Optional.of(0L);
        }
        return Optional.of(Math.round(ahead * 1000.0 / slowest + own));
    }

    /** The old estimate: each stage's median run time times (1 + jobs ahead); empty while a stage has none. */
    static Optional<Long> oneAtATime(int ahead, List<Stage> stages, Map<Stage, Long> medianRunMs) {
        long eta = 0;
        for (Stage s : stages) {
            Long median = medianRunMs.get(s);
            if (median == null) {
                return Optional.empty();
            }
            eta += median * (1L + ahead);
        }
        return Optional.of(eta);
    }
}
