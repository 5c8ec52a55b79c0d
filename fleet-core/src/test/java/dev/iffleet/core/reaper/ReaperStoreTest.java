package dev.iffleet.core.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.StageStore;
import dev.iffleet.core.testing.TestJobs;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The settle script against a real Redis: of two reapers acting on one sighting only one acts. */
class ReaperStoreTest {

    private static RedisStore redis;
    private final JobStore jobs = new JobStore(redis, new Keys("test-" + UUID.randomUUID() + ":"), Duration.ofMinutes(5));
    private final ReaperStore store = new ReaperStore(redis, jobs);

    @BeforeAll
    static void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private StuckJob admitted(String id) {
        jobs.create(id, TestJobs.smallJob("a ring", 1024), 1_000);
        String token = new StageStore(redis, jobs.keys(), Duration.ofMinutes(5)).admit(id, Stage.ENCODE, 0, "0/1@h", 2_000)
                .token();
        return new StuckJob(id, Stage.ENCODE, StuckJob.Cause.WORKER_LOST, "gone", 2_000, 0, token);
    }

    @Test
    void aSightingIsSettledOnceEvenBySeveralReapers() {
        StuckJob seen = admitted(UUID.randomUUID().toString());
        assertEquals(ReaperStore.Settled.REQUEUED, store.settle(seen, 2, "r", 5_000));
        assertEquals(ReaperStore.Settled.MOVED, store.settle(seen, 2, "r", 5_000), "the second reaper finds it moved");
        Map<String, String> h = redis.getHash(jobs.keys().job(seen.jobId()));
        assertEquals("1", h.get("encode.requeues"));
        assertEquals("5000", h.get("encode.requeued_at"));
        assertFalse(h.containsKey("encode.started_at"), "the next admission is accepted as a fresh one");
        assertEquals("running", h.get("state"));
    }

    @Test
    void aJobAdmittedAfterTheSightingIsLeftAlone() {
        StuckJob seen = admitted(UUID.randomUUID().toString());
        new StageStore(redis, jobs.keys(), Duration.ofMinutes(5)).admit(seen.jobId(), Stage.ENCODE, 0, "1/2@h", 3_000);
        assertEquals(ReaperStore.Settled.MOVED, store.settle(seen, 2, "r", 5_000));
        assertEquals("1/2@h", redis.getHash(jobs.keys().job(seen.jobId())).get("encode.worker"));
    }

    @Test
    void liveListsOnlyJobsThatHaveNotEnded() {
        String running = admitted(UUID.randomUUID().toString()).jobId();
        String done = admitted(UUID.randomUUID().toString()).jobId();
        jobs.succeeded(done, 4_000);
        assertEquals(List.of(running), store.live(List.of(done, running, "never-was")));
    }
}
