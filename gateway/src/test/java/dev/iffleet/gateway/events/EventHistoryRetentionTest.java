package dev.iffleet.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job's event history expires with the job after the job's own retention, not after the store's default TTL. */
class EventHistoryRetentionTest {

    private static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private RedisStore redis;
    private JobStore jobs;
    private EventHistory history;

    @BeforeEach
    void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
        jobs = new JobStore(redis, new Keys("history-" + UUID.randomUUID() + ":"), DEFAULT_TTL);
        history = new EventHistory();
        history.redis = redis;
        history.jobs = jobs;
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aShortRetentionExpiresTheHistorySoon() {
        String id = job(30L);
        append(id, JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        long pttl = redis.text().pttl(history.key(id));
        assertTrue(pttl > 20_000 && pttl <= 30_000, "PTTL " + pttl);
    }

    @Test
    void aRetentionLongerThanTheDefaultKeepsTheHistoryAsLong() {
        long threeDays = Duration.ofDays(3).toSeconds();
        String id = job(threeDays);
        append(id, JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        append(id, JobEvent.of(id, Stage.ENCODE, JobEvent.Type.SUCCEEDED, 2));
        long pttl = redis.text().pttl(history.key(id));
        assertTrue(pttl > DEFAULT_TTL.toMillis() && pttl <= threeDays * 1000, "PTTL " + pttl);
        assertEquals(2, history.from(id, 0).size());
    }

    @Test
    void aJobWithoutRetentionKeepsItsHistoryForTheDefaultTtl() {
        String id = job(null);
        append(id, JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        long pttl = redis.text().pttl(history.key(id));
        assertTrue(pttl > DEFAULT_TTL.toMillis() - 60_000 && pttl <= DEFAULT_TTL.toMillis(), "PTTL " + pttl);
    }

    @Test
    void aRecordWithoutTtlLendsItsRetentionField() {
        String id = job(120L);
        redis.text().persist(jobs.keys().job(id)); // as if its TTL had been lost
        append(id, JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        long pttl = redis.text().pttl(history.key(id));
        assertTrue(pttl > 110_000 && pttl <= 120_000, "PTTL " + pttl);
    }

    @Test
    void anEventOfAJobThatIsGoneLeavesNoHistory() {
        String id = UUID.randomUUID().toString();
        assertEquals(-1, history.append(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1), "{}", 1));
        assertEquals(false, redis.exists(history.key(id)));
    }

    private String job(Long retentionSeconds) {
        String id = UUID.randomUUID().toString();
        jobs.create(id, new JobParams("p", null, 1, 64, null, null, null, retentionSeconds), System.currentTimeMillis());
        return id;
    }

    private void append(String id, JobEvent e) {
        assertTrue(history.append(e, Json.write(e), System.currentTimeMillis()) >= 0);
    }
}
