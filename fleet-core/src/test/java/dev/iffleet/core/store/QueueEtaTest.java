package dev.iffleet.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Stage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ETA of a waiting job, with replicas and batching seen in heartbeats, and the fallback without them. */
class QueueEtaTest {

    private static final long NOW = 1_000_000;
    private static final List<Stage> ALL = List.of(Stage.ENCODE, Stage.STAGE1, Stage.SR, Stage.UPSCALE);
    private static final Map<Stage, Long> MEDIANS = Map.of(Stage.ENCODE, 50L, Stage.STAGE1, 4000L, Stage.SR, 2500L,
            Stage.UPSCALE, 3600L);

    /** A ready replica that ran {@code jobs} jobs in {@code modelMs} of model time, reported {@code ageMs} ago. */
    private static WorkerHeartbeat beat(Stage s, String replica, long jobs, long batches, long modelMs, long ageMs) {
        return new WorkerHeartbeat(s, replica, "ready", batches == 0 ? 0 : (double) jobs / batches, modelMs, jobs,
                batches, NOW - ageMs);
    }

    /** One ready replica per stage, each running one job per its median. */
    private static List<WorkerHeartbeat> oneEach() {
        return List.of(beat(Stage.ENCODE, "0", 10, 10, 500, 0), beat(Stage.STAGE1, "0", 10, 10, 40_000, 0),
                beat(Stage.SR, "0", 10, 10, 25_000, 0), beat(Stage.UPSCALE, "0", 10, 10, 36_000, 0));
    }

    @Test
    void withoutHeartbeatsItIsTheMedianTimesOnePlusPosition() {
        assertEquals(Optional.of((50L + 4000 + 2500 + 3600) * 4), QueueEta.etaMs(3, ALL, MEDIANS, List.of(), NOW));
    }

    @Test
    void withoutRunTimesOrHeartbeatsThereIsNoEstimate() {
        assertTrue(QueueEta.etaMs(3, ALL, Map.of(Stage.ENCODE, 50L), List.of(), NOW).isEmpty());
    }

    @Test
    void jobsAheadDrainAtTheSlowestStagesPace() {
        // stage1 drains 0.25 jobs/s: 3 jobs ahead take 12 s, then this job's own 10.15 s through the cascade
        assertEquals(Optional.of(12_000L + 10_150), QueueEta.etaMs(3, ALL, MEDIANS, oneEach(), NOW));
    }

    @Test
    void replicasAddUp() {
        List<WorkerHeartbeat> beats = new java.util.ArrayList<>(oneEach());
        beats.add(beat(Stage.STAGE1, "1", 10, 10, 40_000, 0));
        // stage1 now drains 0.5 jobs/s, upscale (1/3.6 s) becomes the slowest: 3 x 3.6 s
        assertEquals(Optional.of(10_800L + 10_150), QueueEta.etaMs(3, ALL, MEDIANS, beats, NOW));
    }

    @Test
    void batchingShowsInTheDrainRate() {
        List<WorkerHeartbeat> beats = List.of(beat(Stage.STAGE1, "0", 80, 10, 80_000, 0));
        // 8 jobs per 8 s call: 1 job/s, so 8 jobs ahead take 8 s, plus this job's run (median 8000 ms)
        assertEquals(Optional.of(8_000L + 8_000), QueueEta.etaMs(8, List.of(Stage.STAGE1),
                Map.of(Stage.STAGE1, 8000L), beats, NOW));
    }

    @Test
    void staleAndNotReadyReplicasAreIgnored() {
        List<WorkerHeartbeat> beats = new java.util.ArrayList<>(oneEach());
        beats.add(beat(Stage.STAGE1, "1", 10, 10, 40_000, WorkerHeartbeat.FRESH_MS + 1));
        beats.add(new WorkerHeartbeat(Stage.STAGE1, "2", "draining", 1, 40_000, 10, 10, NOW));
        assertEquals(Optional.of(12_000L + 10_150), QueueEta.etaMs(3, ALL, MEDIANS, beats, NOW));
    }

    @Test
    void aStageWithoutAFreshReadyReplicaFallsBackToTheOldEstimate() {
        List<WorkerHeartbeat> beats = oneEach().subList(0, 3);
        assertEquals(QueueEta.oneAtATime(3, ALL, MEDIANS), QueueEta.etaMs(3, ALL, MEDIANS, beats, NOW));
    }

    @Test
    void readyReplicasWithoutJobsYetRunOneJobPerMedian() {
        List<WorkerHeartbeat> beats = List.of(beat(Stage.SR, "0", 0, 0, 0, 0), beat(Stage.SR, "1", 0, 0, 0, 0));
        // two replicas x (1 job / 2.5 s) = 0.8 jobs/s: 4 ahead take 5 s, plus 2.5 s
        assertEquals(Optional.of(5_000L + 2_500), QueueEta.etaMs(4, List.of(Stage.SR), MEDIANS, beats, NOW));
    }

    @Test
    void heartbeatsAreParsedFromTheWorkersHash() {
        WorkerHeartbeat h = WorkerHeartbeat.parse("stage1:3", """
                {"state":"ready","mean_batch":3.1,"model_ms":12345,"jobs":31,"batches":10,"updated_at":99}""").orElseThrow();
        assertEquals(new WorkerHeartbeat(Stage.STAGE1, "3", "ready", 3.1, 12345, 31, 10, 99), h);
        assertTrue(WorkerHeartbeat.parse("nostage:0", "{}").isEmpty());
        assertTrue(WorkerHeartbeat.parse("stage1:0", "not json").isEmpty());
    }
}
