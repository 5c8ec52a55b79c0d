package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent.Type;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.store.JobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cancellation as a worker sees it, plus per-job retention and error codes, against a real Redis. */
class StageWorkerCancelTest extends RedisWorkerTest {

    private static final byte[] IMAGE = {1, 2, 3, 4};

    @Test
    void canceledRunStopsAtTheFirstStepAfterTheCancelSignalAndIsAcked() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        AtomicInteger stepsDone = new AtomicInteger();
        ScriptedWorker w = f.worker(Stage.STAGE1, 3, (ctx, call) -> {
            for (int step = 1; step <= 10; step++) {
                if (step == 3) {
                    assertEquals(JobStore.CancelOutcome.CANCELED, f.jobs.cancel(ctx.jobId(), 9_800));
                    // the cancel reaches running stages over pub/sub, not by a Redis read per step
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                            .until(() -> f.cancels.canceled(ctx.jobId()));
                }
                ctx.progress(step, 10);
                stepsDone.incrementAndGet();
            }
            return Map.of("image", IMAGE);
        });

        assertEquals(Optional.empty(), w.handle(msg));

        assertEquals(2, stepsDone.get(), "the step after the cancel never completes");
        assertEquals(1, w.runs(), "a canceled run is not retried");
        assertEquals(List.of(Type.STAGE_STARTED, Type.PROGRESS, Type.CANCELED), f.eventTypes());
        JobRecord job = f.jobs.find(msg.jobId()).orElseThrow();
        assertEquals(JobState.CANCELED, job.state());
        assertEquals("canceled", job.errorCode());
        assertFalse(redis.exists(f.jobs.keys().artifact(msg.jobId(), Stage.STAGE1, "image")));
        assertFalse(redis.exists(f.jobs.keys().done(msg.jobId(), Stage.STAGE1)));
    }

    @Test
    void canceledQueuedJobNeverStarts() {
        StageMessage msg = f.job(Stage.ENCODE, 64, 9_000);
        f.jobs.cancel(msg.jobId(), 9_500);
        ScriptedWorker w = f.worker(Stage.ENCODE, 3, (ctx, call) -> Map.of("prompt_emb", IMAGE));

        assertEquals(Optional.empty(), w.handle(msg));
        assertEquals(0, w.runs());
        assertEquals(List.of(), f.events);
        assertEquals(JobState.CANCELED, f.jobs.find(msg.jobId()).orElseThrow().state());
    }

    @Test
    void stageWithoutStepsCanceledMidRunKeepsNoOutput() {
        StageMessage msg = f.job(Stage.ENCODE, 64, 9_000);
        ScriptedWorker w = f.worker(Stage.ENCODE, 3, (ctx, call) -> {
            f.jobs.cancel(ctx.jobId(), 9_800);
            return Map.of("prompt_emb", IMAGE);
        });

        assertEquals(Optional.empty(), w.handle(msg));
        assertFalse(redis.exists(f.jobs.keys().done(msg.jobId(), Stage.ENCODE)));
        assertEquals(List.of(Type.STAGE_STARTED, Type.CANCELED), f.eventTypes());
    }

    @Test
    void lateWorkerUpdatesDoNotRevertACanceledJob() {
        StageMessage msg = f.job(Stage.STAGE1, 64, 9_000);
        f.jobs.cancel(msg.jobId(), 9_500);
        assertFalse(f.jobs.stageStarted(msg.jobId(), Stage.STAGE1, 0, "w", 9_600));
        f.jobs.succeeded(msg.jobId(), 9_700);
        f.jobs.failed(msg.jobId(), Stage.STAGE1, "late", 9_800);
        assertEquals(JobState.CANCELED, f.jobs.find(msg.jobId()).orElseThrow().state());
        assertEquals(JobStore.CancelOutcome.ALREADY_CANCELED, f.jobs.cancel(msg.jobId(), 9_900));
    }

    @Test
    void cancelOfAFinishedJobIsRefusedAndFreeArtifactsKeepsTheRecord() {
        StageMessage msg = f.job(Stage.STAGE1, 64, 9_000);
        f.jobs.succeeded(msg.jobId(), 9_500);
        assertEquals(JobStore.CancelOutcome.FINISHED, f.jobs.cancel(msg.jobId(), 9_600));
        assertEquals(JobStore.CancelOutcome.GONE, f.jobs.cancel(UUID.randomUUID().toString(), 9_600));

        assertEquals(1, f.jobs.freeArtifacts(msg.jobId()), "the stored prompt embedding");
        assertFalse(redis.exists(msg.artifact(Stage.ENCODE, "prompt_emb")));
        assertTrue(f.jobs.find(msg.jobId()).isPresent());
    }

    @Test
    void invalidJobFailsWithTheInvalidInputCode() {
        StageMessage msg = f.job(Stage.SR, 64, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> Map.of("image", IMAGE));
        try {
            w.handle(msg);
        } catch (StageFailedException expected) {
            // the job ends at stage1
        }
        JobRecord job = f.jobs.find(msg.jobId()).orElseThrow();
        assertEquals(JobState.FAILED, job.state());
        assertEquals("invalid_input", job.errorCode());
    }

    @Test
    void perJobRetentionIsTheTtlOfTheRecordAndOfEveryOutput() {
        String jobId = UUID.randomUUID().toString();
        JobParams params = new JobParams("short-lived", "", 1, 64, null, null, null, 30L);
        f.jobs.create(jobId, params, 1_000);
        StageMessage msg = new StageMessage(jobId, Stage.ENCODE, 1, Map.of(), params, 1_000);
        f.worker(Stage.ENCODE, 3, (ctx, call) -> Map.of("prompt_emb", IMAGE)).handle(msg);

        for (String key : List.of(f.jobs.keys().job(jobId), f.jobs.keys().artifact(jobId, Stage.ENCODE, "prompt_emb"),
                f.jobs.keys().done(jobId, Stage.ENCODE))) {
            long pttl = redis.text().pttl(key);
            assertTrue(pttl > 0 && pttl <= 30_000, key + " PTTL " + pttl);
        }
        assertFalse(f.jobs.runTimes(Stage.ENCODE).isEmpty(), "run time recorded for ETAs");
    }
}
