package dev.iffleet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin command against a real Redis: keys are created (shown once, stored hashed), listed and revoked. */
class ApiKeyAdminTest {

    private final String prefix = "admintest-" + UUID.randomUUID() + ":";
    private final Map<String, String> env = Map.of("FLEET_REDIS_URI", DevStack.shared().redisUri(),
            "FLEET_REDIS_KEY_PREFIX", prefix);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createListRevoke() {
        assertEquals(0, admin("create", "--name", "ci", "--rate", "3", "--concurrent", "1"));
        String key = out().trim();
        assertTrue(ApiKeys.wellFormed(key), key);
        String hash = ApiKeys.hash(key);

        try (RedisStore redis = new RedisStore(DevStack.shared().redisUri())) {
            Map<String, String> stored = redis.getHash(prefix + "apikey:" + hash);
            assertEquals("ci", stored.get("name"));
            assertEquals("3", stored.get("rate_per_minute"));
            assertEquals("1", stored.get("max_concurrent"));
            assertTrue(stored.containsKey("created_at"));
            assertTrue(redis.text().keys(prefix + "*").stream()
                    .noneMatch(k -> k.contains(key) || String.valueOf(redis.getHash(k)).contains(key)), "the key is nowhere");
        }

        assertEquals(1, admin("create", "--name", "ci"), "names are unique");
        assertEquals(0, admin("create", "--name", "other"));

        assertEquals(0, admin("list"));
        String listing = out();
        assertTrue(listing.contains("ci") && listing.contains("other") && listing.contains(hash.substring(0, 8)), listing);
        assertFalse(listing.contains(key), "list never shows a key");

        assertEquals(0, admin("revoke", "--name", "ci"));
        try (RedisStore redis = new RedisStore(DevStack.shared().redisUri())) {
            assertFalse(redis.exists(prefix + "apikey:" + hash));
        }
        assertEquals(1, admin("revoke", "--name", "ci"), "already revoked");
        assertEquals(0, admin("list"));
        assertTrue(out().lines().noneMatch(l -> l.startsWith("ci ")), "revoked keys leave the listing");
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(2, admin());
        assertEquals(2, admin("create"));
        assertEquals(2, admin("create", "--name", "x", "--rate", "many"));
        assertEquals(2, admin("rotate"));
    }

    private int admin(String... args) {
        out.reset();
        err.reset();
        return ApiKeyAdmin.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
