package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobEvent.Type;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the stage-worker template retries, gives up and fails a job, against a real Redis. */
class StageWorkerFailureTest extends RedisWorkerTest {

    @Test
    void runtimeFailureIsRetriedUpToMaxAttemptsThenFailsTheJob() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> {
            throw new IllegalStateException("CUDA out of memory");
        });

        StageFailedException e = assertThrows(StageFailedException.class, () -> w.handle(msg));

        assertEquals(3, w.runs());
        assertEquals("sr: CUDA out of memory", e.getMessage());
        JobRecord r = f.jobs.find(msg.jobId()).orElseThrow();
        assertEquals(JobState.FAILED, r.state());
        assertEquals(Stage.SR, r.stage());
        assertEquals("sr: CUDA out of memory", r.error());
        JobEvent last = f.events.get(f.events.size() - 1);
        assertEquals(JobEvent.failed(msg.jobId(), Stage.SR, "sr: CUDA out of memory", 10_000), last);
        assertEquals(List.of(Type.STAGE_STARTED, Type.FAILED), f.eventTypes());
    }

    @Test
    void failureWithoutMessageIsNamedByItsType() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 1, (ctx, call) -> {
            throw new NullPointerException();
        });
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals("sr: NullPointerException", f.jobs.find(msg.jobId()).orElseThrow().error());
    }

    @Test
    void transientFailureIsRetriedAndTheStageSucceeds() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> {
            if (call < 3) {
                throw new IllegalStateException("flaky " + call);
            }
            return Map.of("image", new byte[] {1});
        });
        StageMessage next = w.handle(msg).orElseThrow();
        assertEquals(3, w.runs());
        assertEquals(Stage.UPSCALE, next.stage());
        assertEquals(JobState.RUNNING, f.jobs.find(msg.jobId()).orElseThrow().state());
        assertFalse(f.eventTypes().contains(Type.FAILED));
    }

    @Test
    void invalidJobIsNotRetried() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> {
            throw new InvalidJobException("prompt too long");
        });
        StageFailedException e = assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(1, w.runs());
        assertTrue(e.getCause() instanceof InvalidJobException, String.valueOf(e.getCause()));
        assertEquals("sr: prompt too long", f.jobs.find(msg.jobId()).orElseThrow().error());
    }

    @Test
    void missingInputArtifactFailsTheJobWithoutRetry() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        redis.unlink(msg.artifact(Stage.ENCODE, "prompt_emb"));
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> Map.of("x", ctx.artifact(Stage.ENCODE, "prompt_emb")));
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(1, w.runs());
        JobRecord r = f.jobs.find(msg.jobId()).orElseThrow();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().startsWith("sr: artifact ") && r.error().endsWith(" is gone (expired or deleted)"), r.error());
    }

    @Test
    void artifactNeverProducedIsAnInvalidJob() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> Map.of("x", ctx.artifact(Stage.STAGE1, "image")));
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(1, w.runs());
        assertEquals("sr: message for sr lacks artifact stage1.image", f.jobs.find(msg.jobId()).orElseThrow().error());
    }

    @Test
    void failedStageStoresNoDoneMarker() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 1, (ctx, call) -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertFalse(redis.exists(f.jobs.keys().done(msg.jobId(), Stage.SR)));
    }

    @Test
    void redeliveryAfterGivingUpIsSkipped() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 2, (ctx, call) -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(Optional.empty(), w.handle(msg));
        assertEquals(2, w.runs());
    }

    @Test
    void unsupportedOutputSizeFailsTheJobBeforeTheModelRuns() {
        StageMessage msg = f.job(Stage.STAGE1, 100, 9_000);
        ScriptedWorker w = f.worker(Stage.STAGE1, 3, (ctx, call) -> Map.of("image", new byte[] {1}));
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(0, w.runs());
        JobRecord r = f.jobs.find(msg.jobId()).orElseThrow();
        assertEquals(JobState.FAILED, r.state());
        assertEquals("stage1: output size must be 64, 256 or 1024, got 100", r.error());
    }

    @Test
    void messageForAStageAfterTheJobsLastFailsTheJob() {
        StageMessage msg = f.job(Stage.SR, 64, 9_000);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> Map.of("image", new byte[] {1}));
        assertThrows(StageFailedException.class, () -> w.handle(msg));
        assertEquals(0, w.runs());
        assertEquals("sr: job ends at stage1 (output size 64), not at sr", f.jobs.find(msg.jobId()).orElseThrow().error());
    }

    @Test
    void messageWithoutParamsIsInvalid() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        StageMessage bare = new StageMessage(msg.jobId(), Stage.SR, 1, msg.artifacts(), null, 0);
        ScriptedWorker w = f.worker(Stage.SR, 3, (ctx, call) -> Map.of());
        assertThrows(InvalidJobException.class, () -> w.handle(bare));
        assertEquals(0, w.runs());
    }

    @Test
    void messageWithoutStageIsInvalid() {
        StageMessage msg = f.job(Stage.SR, 1024, 9_000);
        StageMessage bare = new StageMessage(msg.jobId(), null, 1, msg.artifacts(), msg.params(), 0);
        assertThrows(InvalidJobException.class, () -> f.worker(Stage.SR, 3, (ctx, call) -> Map.of()).handle(bare));
    }

    @Test
    void retryBackoffDoublesFromTheSecondAttempt() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100));
        assertEquals(Duration.ofMillis(100), p.delayBefore(2));
        assertEquals(Duration.ofMillis(200), p.delayBefore(3));
        assertEquals(Duration.ofMillis(400), p.delayBefore(4));
        assertFalse(p.retryable(new InvalidJobException("bad")));
        assertTrue(p.retryable(new IllegalStateException("flaky")));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO));
    }
}
