package dev.iffleet.core.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.testing.TestJobs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reaper's decisions from a job's record, the heartbeats and the lag, with the default deadlines. */
class StuckJobsTest {

    private static final long NOW = 10_000_000;
    private static final String WORKER = "0/4242@host";
    private final StuckJobs rules = new StuckJobs(Deadlines.defaults());

    private static Map<String, String> job(String state) {
        Map<String, String> h = new HashMap<>();
        h.put("state", state);
        h.put("params", Json.write(TestJobs.smallJob("a ring", 1024)));
        h.put("created_at", Long.toString(NOW - 5_000));
        h.put("updated_at", Long.toString(NOW - 5_000));
        return h;
    }

    /** A job running stage I since {@code agoMs}, admitted by {@link #WORKER}. */
    private static Map<String, String> runningStage1(long agoMs) {
        Map<String, String> h = job("running");
        h.put("stage", "stage1");
        h.put("encode.started_at", Long.toString(NOW - agoMs - 1000));
        h.put("encode.finished_at", Long.toString(NOW - agoMs - 500));
        h.put("stage1.started_at", Long.toString(NOW - agoMs));
        h.put("stage1.worker", WORKER);
        h.put("stage1.admissions", "1");
        return h;
    }

    private static Map<String, StuckJobs.Beat> beat(long agoMs, long pid) {
        return Map.of("stage1:0", new StuckJobs.Beat(NOW - agoMs, pid));
    }

    private Optional<StuckJob> check(Map<String, String> h, Map<String, StuckJobs.Beat> beats, Map<Stage, Long> lag) {
        return rules.check("j", h, beats, lag, NOW);
    }

    @Test
    void aRunWhoseWorkerLeftTheWorkersHashIsOrphanedOnlyAfterTheGrace() {
        assertEquals(Optional.empty(), check(runningStage1(20_000), Map.of(), Map.of()), "within 30 s");
        StuckJob s = check(runningStage1(31_000), Map.of(), Map.of()).orElseThrow();
        assertEquals(StuckJob.Cause.WORKER_LOST, s.cause());
        assertEquals(Stage.STAGE1, s.stage());
        assertEquals("1", s.admissions());
        assertTrue(s.detail().contains("0/4242@host is gone"), s.detail());
    }

    @Test
    void aStaleHeartbeatCountsFromItsLastBeat() {
        // started 5 min ago; the worker beat until 20 s ago: not yet 30 s without it
        assertEquals(Optional.empty(), check(runningStage1(300_000), beat(20_000, 4242), Map.of()));
        assertEquals(StuckJob.Cause.WORKER_LOST,
                check(runningStage1(300_000), beat(31_000, 4242), Map.of()).orElseThrow().cause());
    }

    @Test
    void aReplicaRestartedAsAnotherProcessNoLongerRunsTheJob() {
        StuckJob s = check(runningStage1(40_000), beat(1_000, 777), Map.of()).orElseThrow();
        assertEquals(StuckJob.Cause.WORKER_LOST, s.cause());
        assertTrue(s.detail().contains("replaced by another process (pid 777)"), s.detail());
        assertEquals(Optional.empty(), check(runningStage1(40_000), beat(1_000, 4242), Map.of()), "same process: alive");
    }

    @Test
    void aLiveWorkerPastItsStagesDeadlineIsHung() {
        long deadline = Deadlines.defaults().run(Stage.STAGE1).toMillis();
        assertEquals(Optional.empty(), check(runningStage1(deadline - 1000), beat(1_000, 4242), Map.of()));
        StuckJob s = check(runningStage1(deadline + 1000), beat(1_000, 4242), Map.of()).orElseThrow();
        assertEquals(StuckJob.Cause.HUNG, s.cause());
        assertEquals(NOW - deadline - 1000, s.since());
    }

    @Test
    void aWorkerIdWithoutReplicaIsJudgedByTheRunDeadlineAlone() {
        Map<String, String> h = runningStage1(60_000);
        h.put("stage1.worker", "4242@host");
        assertEquals(Optional.empty(), check(h, Map.of(), Map.of()));
    }

    @Test
    void aJobWaitingForAStageWithoutLagHasLostItsMessage() {
        Map<String, String> h = runningStage1(0);
        h.remove("stage1.started_at");
        h.put("stage", "encode");
        h.put("encode.finished_at", Long.toString(NOW - 61_000));
        assertEquals(Optional.empty(), check(h, Map.of(), Map.of(Stage.STAGE1, 3L)), "a backlog: it waits its turn");
        assertEquals(Optional.empty(), check(h, Map.of(), Map.of()), "lag unknown: only the queue deadline");
        StuckJob s = check(h, Map.of(), Map.of(Stage.STAGE1, 0L)).orElseThrow();
        assertEquals(StuckJob.Cause.MESSAGE_LOST, s.cause());
        assertEquals(Stage.STAGE1, s.stage(), "the stage after the finished one");
    }

    @Test
    void anyWaitPastTheQueueDeadlineIsLostEvenWithABacklog() {
        Map<String, String> h = job("queued");
        h.put("created_at", Long.toString(NOW - Deadlines.defaults().queue().toMillis() - 1));
        StuckJob s = check(h, Map.of(), Map.of(Stage.ENCODE, 500L)).orElseThrow();
        assertEquals(StuckJob.Cause.MESSAGE_LOST, s.cause());
        assertEquals(Stage.ENCODE, s.stage());
    }

    @Test
    void aRequeuedStageWaitsFromItsRequeue() {
        Map<String, String> h = runningStage1(0);
        h.remove("stage1.started_at");
        h.put("stage1.requeued_at", Long.toString(NOW - 10_000));
        h.put("stage1.requeues", "1");
        h.put("updated_at", Long.toString(NOW - 10_000));
        assertEquals(Optional.empty(), check(h, Map.of(), Map.of(Stage.STAGE1, 0L)), "10 s after its re-queue");
        h.put("stage1.requeued_at", Long.toString(NOW - 70_000));
        h.put("updated_at", Long.toString(NOW - 70_000));
        StuckJob s = check(h, Map.of(), Map.of(Stage.STAGE1, 0L)).orElseThrow();
        assertEquals(1, s.requeues());
        assertEquals(Stage.STAGE1, s.stage());
    }

    @Test
    void endedJobsAndFinishedLastStagesAreNeverStuck() {
        for (String state : new String[] {"succeeded", "failed", "canceled"}) {
            Map<String, String> h = runningStage1(3_600_000);
            h.put("state", state);
            assertEquals(Optional.empty(), check(h, Map.of(), Map.of(Stage.STAGE1, 0L)), state);
        }
        Map<String, String> h = job("running");
        h.put("stage", "upscale");
        h.put("upscale.started_at", Long.toString(NOW - 3_600_000));
        h.put("upscale.finished_at", Long.toString(NOW - 3_500_000));
        assertEquals(Optional.empty(), check(h, Map.of(), Map.of()));
    }

    @Test
    void theFailureReasonNamesStageCauseAndRequeues() {
        StuckJob s = new StuckJob("j", Stage.SR, StuckJob.Cause.HUNG, "running 901 s", 0, 2, "3");
        assertEquals("sr: stuck, hung (running 901 s); re-queued 2 times, giving up", s.failureReason());
    }
}
