package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobEvent.Type;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.job.StageTiming;
import dev.iffleet.core.queue.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stage-worker template on its happy paths, against a real Redis. */
class StageWorkerTest extends RedisWorkerTest {

    private static final byte[] IMAGE = {1, 2, 3, 4};

    private ScriptedWorker imageWorker() {
        return f.worker(Stage.STAGE1, 3, (ctx, call) -> Map.of("image", IMAGE));
    }

    @Test
    void storesOutputsAndReturnsTheNextMessageCarryingThem() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        Optional<StageMessage> next = imageWorker().handle(msg);

        String imageKey = f.jobs.keys().artifact(msg.jobId(), Stage.STAGE1, "image");
        assertEquals(Optional.of(new StageMessage(msg.jobId(), Stage.SR, 1,
                Map.of("encode.prompt_emb", msg.artifact(Stage.ENCODE, "prompt_emb"), "stage1.image", imageKey),
                msg.params(), 10_000)), next);
        assertArrayEquals(IMAGE, redis.getBytes(imageKey).orElseThrow());
        String done = redis.getString(f.jobs.keys().done(msg.jobId(), Stage.STAGE1)).orElseThrow();
        assertEquals(Map.of("image", imageKey), Json.read(done, Map.class));
        assertEquals(List.of(Type.STAGE_STARTED, Type.STAGE_COMPLETED), f.eventTypes());
        assertEquals(JobState.RUNNING, f.jobs.find(msg.jobId()).orElseThrow().state());
    }

    @Test
    void outputsAndDoneMarkerHaveTheTtl() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        imageWorker().handle(msg);
        for (String key : List.of(f.jobs.keys().artifact(msg.jobId(), Stage.STAGE1, "image"),
                f.jobs.keys().done(msg.jobId(), Stage.STAGE1))) {
            long pttl = redis.text().pttl(key);
            assertTrue(pttl > 0 && pttl <= WorkerFixture.TTL.toMillis(), key + " PTTL " + pttl);
        }
    }

    @Test
    void recordsQueueWaitWorkerAndTimes() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        f.worker(Stage.STAGE1, 3, (ctx, call) -> {
            Thread.sleep(40); // the "model" takes at least 40 ms of wall time
            return Map.of("image", IMAGE);
        }).handle(msg);
        StageTiming t = f.jobs.find(msg.jobId()).orElseThrow().timings().get(Stage.STAGE1);
        assertEquals(1_000L, t.queuedMs());
        assertEquals(10_000L, t.startedAt());
        assertEquals(10_000L, t.finishedAt());
        assertEquals(WorkerFixture.WORKER_ID, t.worker());
        assertTrue(t.runMs() >= 40, "the model's wall time is its run time: " + t);
        assertEquals(0L, t.ioMs(), "a hook that reads nothing spends no time in Redis reads");
    }

    @Test
    void hookReadsEarlierArtifacts() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        ScriptedWorker w = f.worker(Stage.STAGE1, 3, (ctx, call) -> Map.of("echo", ctx.artifact(Stage.ENCODE, "prompt_emb")));
        StageMessage next = w.handle(msg).orElseThrow();
        assertArrayEquals(new byte[] {7, 7}, redis.getBytes(next.artifact(Stage.STAGE1, "echo")).orElseThrow());
    }

    @Test
    void lastStageMarksTheJobSucceededAndEndsIt() {
        StageMessage msg = f.job(Stage.STAGE1, 64, 9_000);
        assertEquals(Optional.empty(), imageWorker().handle(msg));
        assertEquals(JobState.SUCCEEDED, f.jobs.find(msg.jobId()).orElseThrow().state());
        assertEquals(List.of(Type.STAGE_STARTED, Type.STAGE_COMPLETED, Type.SUCCEEDED), f.eventTypes());
    }

    @Test
    void redeliveredMessageIsNotRecomputedAndHandsOnTheSameMessage() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        ScriptedWorker w = imageWorker();
        Optional<StageMessage> first = w.handle(msg);
        Optional<StageMessage> second = w.handle(msg);
        assertEquals(1, w.runs());
        assertEquals(first, second);
        assertEquals(1, f.eventTypes().stream().filter(t -> t == Type.STAGE_STARTED).count());
    }

    @Test
    void redeliveredLastStageStillEndsTheJob() {
        StageMessage msg = f.job(Stage.STAGE1, 64, 9_000);
        ScriptedWorker w = imageWorker();
        w.handle(msg);
        assertEquals(Optional.empty(), w.handle(msg));
        assertEquals(1, w.runs());
    }

    @Test
    void failedJobIsSkipped() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        f.jobs.failed(msg.jobId(), Stage.ENCODE, "encode: cancelled", 9_500);
        ScriptedWorker w = imageWorker();
        assertEquals(Optional.empty(), w.handle(msg));
        assertEquals(0, w.runs());
        assertEquals(List.of(), f.events);
        assertEquals("encode: cancelled", f.jobs.find(msg.jobId()).orElseThrow().error());
    }

    @Test
    void expiredJobIsSkipped() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        f.jobs.delete(msg.jobId());
        ScriptedWorker w = imageWorker();
        assertEquals(Optional.empty(), w.handle(msg));
        assertEquals(0, w.runs());
        assertEquals(Optional.empty(), f.jobs.find(msg.jobId()), "the job is not brought back");
    }

    @Test
    void messageForAnotherStageIsInvalid() {
        StageMessage msg = f.job(Stage.SR, 256, 9_000);
        ScriptedWorker w = imageWorker();
        assertThrows(InvalidJobException.class, () -> w.handle(msg));
        assertEquals(0, w.runs());
    }

    @Test
    void startWarmsUpAndBecomesReady() {
        ScriptedWorker w = imageWorker();
        assertEquals(WorkerState.STARTING, w.state());
        w.start(true, 1);
        assertEquals(WorkerState.READY, w.state());
        assertEquals(1, w.warmUps());
        w.stop();
        assertEquals(WorkerState.STOPPED, w.state());
    }

    @Test
    void failingWarmUpLeavesTheWorkerFailed() {
        ScriptedWorker w = f.worker(Stage.STAGE1, 3, (ctx, call) -> {
            throw new IllegalStateException("no libtorch");
        });
        w.start(true, 1);
        assertEquals(WorkerState.FAILED, w.state());
    }

    @Test
    void startWithoutWarmUpIsReadyWithoutRunning() {
        ScriptedWorker w = imageWorker();
        w.start(false, 1);
        assertEquals(WorkerState.READY, w.state());
        assertEquals(0, w.warmUps());
    }

    @Test
    void progressEventsAreThrottledByTheInterval() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        f.worker(Stage.STAGE1, 1, (ctx, call) -> {
            for (int step = 1; step <= 10; step++) {
                f.clock.addAndGet(100);
                ctx.progress(step, 10);
            }
            return Map.of("image", IMAGE);
        }).handle(msg);
        List<Integer> steps = f.events.stream().filter(e -> e.type() == Type.PROGRESS).map(JobEvent::step).toList();
        assertEquals(List.of(1, 4, 7, 10), steps);
    }

    @Test
    void jobRecordShowsTheStageRunning() {
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        f.worker(Stage.STAGE1, 1, (ctx, call) -> {
            JobRecord during = f.jobs.find(ctx.jobId()).orElseThrow();
            assertEquals(JobState.RUNNING, during.state());
            assertEquals(Stage.STAGE1, during.stage());
            return Map.of("image", IMAGE);
        }).handle(msg);
    }
}
