package dev.iffleet.gateway.webhook;

import static dev.iffleet.gateway.webhook.Signatures.assertRefused;
import static dev.iffleet.gateway.webhook.Signatures.assertVerifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.gateway.auth.ApiKeyStore;
import dev.iffleet.gateway.auth.ApiKeyWebhookSecrets;
import dev.iffleet.gateway.auth.ApiKeys;
import dev.iffleet.gateway.auth.AuthKeys;
import dev.iffleet.gateway.submit.JobOwner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-key webhook secrets through a real dispatcher, Redis and receiver: each key's jobs are signed with its own
 * secret, a rotation signs with both secrets until its overlap ends, and each attempt looks the secrets up anew.
 */
class KeyWebhookSecretsTest {

    private static final String GATEWAY = "whsec_dGVzdC1zZWNyZXQtZm9yLXRoZS1nYXRld2F5LXRlc3Rz";

    private final MutableClock clock = new MutableClock();
    private final String prefix = "keyhooks-" + UUID.randomUUID() + ":";
    private final Keys keys = new Keys(prefix);
    private RedisStore redis;
    private ApiKeyStore apiKeys;
    private WebhookDispatcher dispatcher;
    private Receiver receiver;

    @BeforeEach
    void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
        receiver = new Receiver();
        apiKeys = new ApiKeyStore(redis, new AuthKeys(prefix));
        WebhookSettings settings = new WebhookSettings(List.of(GATEWAY),
                List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(5)), 0.1, Duration.ofSeconds(5),
                Duration.ofSeconds(60), List.of("127.0.0.1"));
        dispatcher = new WebhookDispatcher(redis, keys, Duration.ofHours(1), settings,
                new ApiKeyWebhookSecrets(apiKeys, List.of(GATEWAY)), clock);
    }

    @AfterEach
    void close() {
        redis.close();
        receiver.close();
    }

    @Test
    void eachKeysJobsAreSignedWithItsOwnSecretOnly() {
        ApiKeyStore.IssuedKey a = issue();
        ApiKeyStore.IssuedKey b = issue();
        Receiver.Received toA = deliver(jobOf(a));
        Receiver.Received toB = deliver(jobOf(b));
        Receiver.Received keyless = deliver(jobOf(null));

        assertVerifies(toA, a.webhookSecret(), clock);
        assertRefused(toA, b.webhookSecret(), clock);
        assertRefused(toA, GATEWAY, clock);
        assertVerifies(toB, b.webhookSecret(), clock);
        assertRefused(toB, a.webhookSecret(), clock);
        assertVerifies(keyless, GATEWAY, clock);
        assertRefused(keyless, a.webhookSecret(), clock);
        assertEquals(1, Signatures.count(toA), "one secret, one signature");
    }

    @Test
    void duringTheOverlapBothSecretsSignThenOnlyTheNewOne() {
        ApiKeyStore.IssuedKey a = issue();
        String old = a.webhookSecret();
        String fresh = apiKeys.rotateWebhookSecret(name(a), clock.millis(), Duration.ofHours(24)).orElseThrow();

        Receiver.Received during = deliver(jobOf(a));
        assertEquals(2, Signatures.count(during));
        assertVerifies(during, fresh, clock);
        assertVerifies(during, old, clock);
        assertTrue(during.headers().get("webhook-signature").startsWith(sign(fresh, during) + " "), "the new one first");

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        Receiver.Received after = deliver(jobOf(a));
        assertEquals(1, Signatures.count(after));
        assertVerifies(after, fresh, clock);
        assertRefused(after, old, clock);
    }

    @Test
    void aRetryAfterARotationIsSignedWithTheSecretsOfThatMoment() {
        receiver.answer(500, 200);
        ApiKeyStore.IssuedKey a = issue();
        String id = dispatcher.enqueue(JobEvent.of(jobOf(a), Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();
        assertEquals(1, dispatcher.runDue());
        String fresh = apiKeys.rotateWebhookSecret(name(a), clock.millis(), Duration.ZERO).orElseThrow();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, dispatcher.runDue());

        List<Receiver.Received> got = receiver.received();
        assertEquals(2, got.size());
        assertEquals(id, got.get(1).headers().get("webhook-id"));
        assertVerifies(got.get(0), a.webhookSecret(), clock);
        assertVerifies(got.get(1), fresh, clock);
        assertRefused(got.get(1), a.webhookSecret(), clock);
    }

    @Test
    void aKeyWithoutASecretOfItsOwnFallsBackToTheGatewaySecrets() {
        ApiKeyStore.IssuedKey legacy = issue();
        redis.unlink(new AuthKeys(prefix).webhookSecrets(ApiKeys.hash(legacy.key()))); // made before keys had secrets
        assertVerifies(deliver(jobOf(legacy)), GATEWAY, clock);
    }

    @Test
    void aRevokedKeysDeliveriesFailUnsent() {
        ApiKeyStore.IssuedKey a = issue();
        String id = dispatcher.enqueue(JobEvent.of(jobOf(a), Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();
        assertTrue(apiKeys.revoke(name(a)));
        assertEquals(1, dispatcher.runDue());
        assertEquals(0, receiver.received().size());
        Delivery d = dispatcher.find(id).orElseThrow();
        assertEquals(Delivery.Status.FAILED, d.status());
        assertTrue(d.lastError().contains("revoked"), d.lastError());
        assertTrue(apiKeys.webhookSecrets(ApiKeys.hash(a.key()), clock.millis()).isEmpty(), "revoking drops the secrets");
    }

    private ApiKeyStore.IssuedKey issue() {
        ApiKeyStore.IssuedKey k = apiKeys.create("hooks-" + UUID.randomUUID(), OptionalInt.empty(), OptionalInt.empty(),
                clock.millis());
        assertTrue(k.webhookSecret().matches("whsec_[A-Za-z0-9+/]{43}="), "whsec_ and base64 of 32 bytes");
        return k;
    }

    private String name(ApiKeyStore.IssuedKey k) {
        return apiKeys.findByKey(k.key()).orElseThrow().name();
    }

    private String jobOf(ApiKeyStore.IssuedKey owner) {
        String job = UUID.randomUUID().toString();
        Map<String, String> fields = new HashMap<>(Map.of("state", "running", WebhookDispatcher.URL_FIELD, receiver.url("/hook")));
        if (owner != null) {
            fields.put(JobOwner.FIELD, ApiKeys.hash(owner.key()));
        }
        redis.text().hset(keys.job(job), fields);
        return job;
    }

    private Receiver.Received deliver(String job) {
        int before = receiver.received().size();
        dispatcher.enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();
        assertEquals(1, dispatcher.runDue());
        assertEquals(before + 1, receiver.received().size());
        return receiver.received().get(before);
    }

    private static String sign(String secret, Receiver.Received r) {
        return new WebhookSigner(List.of(secret)).signature(r.headers().get("webhook-id"),
                Long.parseLong(r.headers().get("webhook-timestamp")), r.body());
    }
}
