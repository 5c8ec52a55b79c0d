package dev.iffleet.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.job.StageTiming;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job records in a real Redis. */
class JobStoreTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final JobParams PARAMS = new JobParams("a red circle", "blurry", 42, 256,
            new StageOverrides(4, 7.0, null), null, null);

    private static RedisStore redis;
    private JobStore jobs;

    @BeforeAll
    static void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @BeforeEach
    void freshPrefix() {
        jobs = new JobStore(redis, new Keys("test-" + UUID.randomUUID() + ":"), TTL);
    }

    @Test
    void createdJobIsFoundQueuedWithItsParams() {
        jobs.create("j1", PARAMS, 1000);
        JobRecord r = jobs.find("j1").orElseThrow();
        assertEquals("j1", r.id());
        assertEquals(JobState.QUEUED, r.state());
        assertEquals(PARAMS, r.params());
        assertEquals(1000, r.createdAt());
        assertEquals(1000, r.updatedAt());
        assertNull(r.stage());
        assertNull(r.error());
        assertNull(r.progress());
        assertEquals(Map.of(), r.timings());
    }

    @Test
    void unknownJobIsNotFound() {
        assertEquals(Optional.empty(), jobs.find("nope"));
    }

    @Test
    void stageTimingsAreReadBack() {
        jobs.create("j1", PARAMS, 1000);
        jobs.stageStarted("j1", Stage.STAGE1, 15, "host@1", 2000);
        JobRecord running = jobs.find("j1").orElseThrow();
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(Stage.STAGE1, running.stage());
        assertEquals(new StageTiming(15L, null, null, 2000L, null, "host@1"), running.timings().get(Stage.STAGE1));

        jobs.stageFinished("j1", Stage.STAGE1, 700, 12, 2800);
        JobRecord finished = jobs.find("j1").orElseThrow();
        assertEquals(new StageTiming(15L, 700L, 12L, 2000L, 2800L, "host@1"), finished.timings().get(Stage.STAGE1));
        assertEquals(2800, finished.updatedAt());
        assertEquals(1, finished.timings().size());
    }

    @Test
    void timingsOfSeveralStagesAreKeptApart() {
        jobs.create("j1", PARAMS, 1000);
        jobs.stageStarted("j1", Stage.ENCODE, 1, "w1", 1100);
        jobs.stageFinished("j1", Stage.ENCODE, 50, 2, 1150);
        jobs.stageStarted("j1", Stage.STAGE1, 3, "w2", 1200);
        JobRecord r = jobs.find("j1").orElseThrow();
        assertEquals(new StageTiming(1L, 50L, 2L, 1100L, 1150L, "w1"), r.timings().get(Stage.ENCODE));
        assertEquals(new StageTiming(3L, null, null, 1200L, null, "w2"), r.timings().get(Stage.STAGE1));
        assertEquals(Stage.STAGE1, r.stage());
    }

    @Test
    void failedStoresStateStageAndReason() {
        jobs.create("j1", PARAMS, 1000);
        jobs.failed("j1", Stage.SR, "sr: out of memory", 3000);
        JobRecord r = jobs.find("j1").orElseThrow();
        assertEquals(JobState.FAILED, r.state());
        assertEquals(Stage.SR, r.stage());
        assertEquals("sr: out of memory", r.error());
        assertEquals(3000, r.updatedAt());
    }

    @Test
    void failedWithoutReasonSaysUnknownError() {
        jobs.create("j1", PARAMS, 1000);
        jobs.failed("j1", Stage.SR, null, 3000);
        assertEquals("unknown error", jobs.find("j1").orElseThrow().error());
    }

    @Test
    void succeededIsTerminal() {
        jobs.create("j1", PARAMS, 1000);
        jobs.succeeded("j1", 4000);
        JobRecord r = jobs.find("j1").orElseThrow();
        assertEquals(JobState.SUCCEEDED, r.state());
        assertTrue(r.state().terminal());
        assertEquals(4000, r.updatedAt());
    }

    @Test
    void progressIsReadBack() {
        jobs.create("j1", PARAMS, 1000);
        jobs.progress("j1", Stage.STAGE1, 3, 10);
        jobs.progress("j1", Stage.STAGE1, 4, 10);
        assertEquals(new JobRecord.Progress(Stage.STAGE1, 4, 10), jobs.find("j1").orElseThrow().progress());
    }

    @Test
    void progressDoesNotBringBackAGoneJob() {
        jobs.progress("gone", Stage.STAGE1, 3, 10);
        assertFalse(redis.exists(jobs.keys().job("gone")));
    }

    @Test
    void updatesOfADeletedJobDoNotRecreateIt() {
        jobs.create("j1", PARAMS, 1000);
        jobs.delete("j1");
        jobs.stageStarted("j1", Stage.STAGE1, 0, "w", 1100);
        jobs.stageFinished("j1", Stage.STAGE1, 1, 1, 1200);
        jobs.failed("j1", Stage.STAGE1, "stage1: late", 1300);
        jobs.succeeded("j1", 1400);
        assertFalse(redis.exists(jobs.keys().job("j1")));
        assertEquals(Optional.empty(), jobs.find("j1"));
    }

    @Test
    void deletedJobIsGone() {
        jobs.create("j1", PARAMS, 1000);
        jobs.delete("j1");
        assertEquals(Optional.empty(), jobs.find("j1"));
    }

    @Test
    void jobHashHasTheTtl() {
        jobs.create("j1", PARAMS, 1000);
        assertTtlWithin(jobs.keys().job("j1"));
    }

    @Test
    void everyWriteRenewsTheTtl() {
        jobs.create("j1", PARAMS, 1000);
        String key = jobs.keys().job("j1");
        redis.text().pexpire(key, 1000);
        jobs.stageStarted("j1", Stage.ENCODE, 0, "w", 1100);
        assertTrue(redis.text().pttl(key) > 1000, "ttl renewed");
        assertTtlWithin(key);
    }

    @Test
    void keysLayOutJobArtifactsAndDoneMarkerUnderThePrefix() {
        Keys keys = new Keys("p:");
        assertEquals("p:job:j1", keys.job("j1"));
        assertEquals("p:job:j1:stage1:image", keys.artifact("j1", Stage.STAGE1, "image"));
        assertEquals("p:job:j1:sr:done", keys.done("j1", Stage.SR));
        assertEquals("job:j1", new Keys(null).job("j1"));
    }

    private static void assertTtlWithin(String key) {
        long pttl = redis.text().pttl(key);
        assertTrue(pttl > 0 && pttl <= TTL.toMillis(), "PTTL " + pttl);
    }
}
