package dev.iffleet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The concurrent-job quota against a real Redis: reserving is atomic, settled places hold jobs, ended jobs free them. */
class AccessLimitsTest {

    private static final String HASH = ApiKeys.hash("iff_" + "q".repeat(32));

    private final AuthKeys keys = new AuthKeys("quota-" + UUID.randomUUID() + ":");
    private RedisStore redis;
    private AccessLimits limits;

    @BeforeEach
    void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
        limits = new AccessLimits(redis, keys, Duration.ofDays(7), Duration.ofMinutes(2));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void parallelReservationsNeverPassTheQuota() throws Exception {
        long now = System.currentTimeMillis();
        List<Optional<String>> tries = AllAtOnce.run(24, () -> limits.reserve(HASH, 3, now));
        assertEquals(3, tries.stream().filter(Optional::isPresent).count());
        assertEquals(3L, redis.text().zcard(keys.quota(HASH)));
    }

    @Test
    void aSettledPlaceIsHeldByItsJobUntilTheJobEnds() {
        long now = System.currentTimeMillis();
        String token = limits.reserve(HASH, 1, now).orElseThrow();
        String job = UUID.randomUUID().toString();
        redis.text().hset(keys.jobPrefix() + job, Map.of("state", "queued"));
        limits.settle(HASH, token, job);
        assertEquals(List.of(job), redis.text().zrange(keys.quota(HASH), 0, -1));
        assertTrue(limits.reserve(HASH, 1, now).isEmpty(), "the running job holds the only place");

        redis.text().hset(keys.jobPrefix() + job, "state", "running");
        assertTrue(limits.reserve(HASH, 1, now).isEmpty());
        redis.text().hset(keys.jobPrefix() + job, "state", "succeeded");
        assertTrue(limits.reserve(HASH, 1, now).isPresent(), "a finished job frees its place");
    }

    @Test
    void aSubmissionThatMadeNoJobGivesItsPlaceBack() {
        long now = System.currentTimeMillis();
        String token = limits.reserve(HASH, 1, now).orElseThrow();
        assertTrue(limits.reserve(HASH, 1, now).isEmpty());
        limits.settle(HASH, token, null);
        assertTrue(limits.reserve(HASH, 1, now).isPresent());
    }

    @Test
    void anExpiredJobOrALapsedReservationFreesItsPlace() {
        long now = System.currentTimeMillis();
        String token = limits.reserve(HASH, 1, now).orElseThrow();
        limits.settle(HASH, token, "job-whose-record-expired");
        assertTrue(limits.reserve(HASH, 1, now).isPresent(), "the expired job's place");
        // that reservation is never settled (its gateway died) and two minutes pass
        assertTrue(limits.reserve(HASH, 1, now + 1_000).isEmpty());
        assertTrue(limits.reserve(HASH, 1, now + Duration.ofMinutes(2).toMillis() + 1).isPresent(),
                "a lapsed reservation frees its place");
        assertEquals(1L, redis.text().zcard(keys.quota(HASH)));
    }

    @Test
    void submissionsOverTheRateOfTheWindowAreRefused() {
        long start = 28_000_000L * RateWindow.LENGTH_MS;
        String hash = ApiKeys.hash(UUID.randomUUID().toString());
        for (int i = 0; i < 2; i++) {
            assertTrue(limits.takeSubmission(hash, 2, start + i).isEmpty());
        }
        assertEquals(60, limits.takeSubmission(hash, 2, start + 10).orElseThrow());
        assertTrue(redis.text().pttl(keys.rate(hash, RateWindow.of(start))) > 0, "the window's counter expires");
        assertTrue(limits.takeSubmission(hash, 2, start + RateWindow.LENGTH_MS).isEmpty(), "the next window");
    }
}
