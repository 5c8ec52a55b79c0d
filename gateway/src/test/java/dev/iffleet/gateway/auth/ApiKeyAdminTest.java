package dev.iffleet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
        List<String> printed = out().lines().toList();
        assertEquals(2, printed.size(), "the key, then its webhook secret");
        String key = printed.get(0);
        String secret = printed.get(1);
        assertTrue(ApiKeys.wellFormed(key), key);
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), "whsec_ and base64 of 32 random bytes");
        assertFalse(err().contains(key) || err().contains(secret), "only standard output shows them");
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
        assertFalse(listing.contains(key) || listing.contains(secret), "list never shows a key or a secret");

        assertEquals(0, admin("revoke", "--name", "ci"));
        try (RedisStore redis = new RedisStore(DevStack.shared().redisUri())) {
            assertFalse(redis.exists(prefix + "apikey:" + hash));
        }
        assertEquals(1, admin("revoke", "--name", "ci"), "already revoked");
        assertEquals(0, admin("list"));
        assertTrue(out().lines().noneMatch(l -> l.startsWith("ci ")), "revoked keys leave the listing");
    }

    @Test
    void rotatingAWebhookSecretPrintsTheNewOneAndKeepsTheOldOneForTheOverlap() {
        assertEquals(0, admin("create", "--name", "hooks"));
        String key = out().lines().findFirst().orElseThrow();
        String first = out().lines().skip(1).findFirst().orElseThrow();

        assertEquals(0, admin("rotate-webhook-secret", "--name", "hooks", "--overlap", "2h"));
        String second = out().trim();
        assertTrue(second.matches("whsec_[A-Za-z0-9+/]{43}=") && !second.equals(first), second);
        assertFalse(err().contains(second) || err().contains(first));
        try (RedisStore redis = new RedisStore(DevStack.shared().redisUri())) {
            ApiKeyStore store = new ApiKeyStore(redis, new AuthKeys(prefix));
            long now = System.currentTimeMillis();
            assertEquals(List.of(second, first), store.webhookSecrets(ApiKeys.hash(key), now).orElseThrow());
            assertEquals(List.of(second), store.webhookSecrets(ApiKeys.hash(key), now + 7_201_000).orElseThrow());
        }
        assertEquals(0, admin("list"));
        String listing = out();
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("hooks ") && l.matches(".*\\d{4}-\\d\\d-\\d\\dT.*")),
                "the listing shows until when the previous secret signs: " + listing);
        assertFalse(listing.contains(first) || listing.contains(second));

        assertEquals(0, admin("rotate-webhook-secret", "--name", "hooks", "--overlap", "0s"));
        String third = out().trim();
        try (RedisStore redis = new RedisStore(DevStack.shared().redisUri())) {
            List<String> signing = new ApiKeyStore(redis, new AuthKeys(prefix))
                    .webhookSecrets(ApiKeys.hash(key), System.currentTimeMillis()).orElseThrow();
            assertEquals(List.of(third), signing, "no overlap: the old secret stops at once");
        }
        assertEquals(1, admin("rotate-webhook-secret", "--name", "nobody"));
    }

    @Test
    void overlapsAreShortOrIsoDurations() {
        assertEquals(Duration.ofHours(24), ApiKeyAdmin.duration("24h"));
        assertEquals(Duration.ofSeconds(90), ApiKeyAdmin.duration("90s"));
        assertEquals(Duration.ofMinutes(30), ApiKeyAdmin.duration("30m"));
        assertEquals(Duration.ofDays(2), ApiKeyAdmin.duration("2d"));
        assertEquals(Duration.ofMillis(500), ApiKeyAdmin.duration("500ms"));
        assertEquals(Duration.ofHours(1), ApiKeyAdmin.duration("PT1H"));
        assertEquals(2, admin("rotate-webhook-secret", "--name", "x", "--overlap", "soon"));
        assertEquals(2, admin("rotate-webhook-secret", "--name", "x", "--overlap", "-PT1H"));
        assertEquals(2, admin("rotate-webhook-secret"));
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

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
