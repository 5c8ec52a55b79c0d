package dev.iffleet.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binary artifacts, strings and hashes in a real Redis, each with a TTL. */
class RedisStoreTest {

    private static final Duration TTL = Duration.ofSeconds(90);
    private static RedisStore redis;
    private String prefix;

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
        prefix = "test-" + UUID.randomUUID() + ":";
    }

    @Test
    void bytesRoundTripUnchanged() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        redis.putBytes(prefix + "a", value, TTL);
        assertArrayEquals(value, redis.getBytes(prefix + "a").orElseThrow());
    }

    @Test
    void artifactHasTheTtl() {
        redis.putBytes(prefix + "a", new byte[] {1}, TTL);
        long pttl = redis.text().pttl(prefix + "a");
        assertTrue(pttl > 0 && pttl <= TTL.toMillis(), "PTTL " + pttl);
    }

    @Test
    void stringHasTheTtl() {
        redis.putString(prefix + "s", "v", TTL);
        assertEquals(Optional.of("v"), redis.getString(prefix + "s"));
        long pttl = redis.text().pttl(prefix + "s");
        assertTrue(pttl > 0 && pttl <= TTL.toMillis(), "PTTL " + pttl);
    }

    @Test
    void hashFieldsAreMergedAndRead() {
        redis.putHash(prefix + "h", Map.of("a", "1"), TTL);
        redis.putHash(prefix + "h", Map.of("b", "2"), TTL);
        assertEquals(Map.of("a", "1", "b", "2"), redis.getHash(prefix + "h"));
    }

    @Test
    void updateHashMergesFieldsAndRenewsTheTtlOfAnExistingHash() {
        redis.putHash(prefix + "h", Map.of("a", "1"), Duration.ofSeconds(2));
        assertTrue(redis.updateHash(prefix + "h", Map.of("b", "2", "a", "3"), TTL));
        assertEquals(Map.of("a", "3", "b", "2"), redis.getHash(prefix + "h"));
        long pttl = redis.text().pttl(prefix + "h");
        assertTrue(pttl > 2000 && pttl <= TTL.toMillis(), "PTTL " + pttl);
    }

    @Test
    void updateHashWithoutTtlKeepsTheCurrentOne() {
        redis.putHash(prefix + "h", Map.of("a", "1"), Duration.ofSeconds(2));
        assertTrue(redis.updateHash(prefix + "h", Map.of("b", "2"), null));
        long pttl = redis.text().pttl(prefix + "h");
        assertTrue(pttl > 0 && pttl <= 2000, "PTTL " + pttl);
    }

    @Test
    void updateHashDoesNotCreateAMissingHash() {
        assertFalse(redis.updateHash(prefix + "gone", Map.of("a", "1"), TTL));
        assertFalse(redis.exists(prefix + "gone"));
    }

    @Test
    void missingKeysReadAsEmpty() {
        assertEquals(Optional.empty(), redis.getBytes(prefix + "none").map(b -> b.length));
        assertEquals(Optional.empty(), redis.getString(prefix + "none"));
        assertEquals(Map.of(), redis.getHash(prefix + "none"));
        assertFalse(redis.exists(prefix + "none"));
    }

    @Test
    void unlinkRemovesKeys() {
        redis.putString(prefix + "x", "1", TTL);
        redis.putBytes(prefix + "y", new byte[] {2}, TTL);
        redis.unlink(prefix + "x", prefix + "y");
        assertFalse(redis.exists(prefix + "x"));
        assertFalse(redis.exists(prefix + "y"));
    }
}
