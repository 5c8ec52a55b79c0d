package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.webhook.WebhookSecrets;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The webhook signing secrets of each API key, in the Redis hash {@code apikey:<sha256>:webhook-secrets}: the current
 * one and, for a while after a rotation, the previous one. Unlike the key, a secret must stay usable for HMAC, so it is
 * stored as it is: whoever can read that Redis can read them. Nothing here logs or prints one.
 */
final class WebhookSecretStore {

    private static final String CURRENT = "current";
    private static final String PREVIOUS = "previous";
    private static final String PREVIOUS_UNTIL = "previous_until";

    // KEYS[1] = the API key's hash, KEYS[2] = its secrets; ARGV = the new secret, when the previous one stops (ms).
    // The current secret becomes the previous one (a rotation within the overlap ends the older one at once)
    private static final String ROTATE = "if redis.call('exists', KEYS[1]) == 0 then return 0 end "
            + "local current = redis.call('hget', KEYS[2], 'current') "
            + "if current then redis.call('hset', KEYS[2], 'current', ARGV[1], 'previous', current, 'previous_until', ARGV[2]) "
            + "else redis.call('hset', KEYS[2], 'current', ARGV[1]) end "
            + "return 1";

    private final RedisStore redis;
    private final AuthKeys keys;

    WebhookSecretStore(RedisStore redis, AuthKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** @return the first secret of a new key */
    String create(String hash) {
        String secret = WebhookSecrets.generate();
        redis.text().hset(keys.webhookSecrets(hash), CURRENT, secret);
        return secret;
    }

    /**
     * Makes a new current secret; the old one keeps signing until {@code nowMs + overlap}.
     *
     * @return the new secret, or empty when the key does not exist
     */
    Optional<String> rotate(String hash, long nowMs, Duration overlap) {
        String secret = WebhookSecrets.generate();
        Long done = redis.text().eval(ROTATE, ScriptOutputType.INTEGER,
                new String[] {keys.apiKey(hash), keys.webhookSecrets(hash)}, secret, Long.toString(nowMs + overlap.toMillis()));
        return done != null && done == 1L ? Optional.of(secret) : Optional.empty();
    }

    /** The secrets that sign now, current first; empty when the key has none (made before keys had secrets, or gone). */
    Optional<List<String>> signing(String hash, long nowMs) {
        Map<String, String> h = redis.getHash(keys.webhookSecrets(hash));
        if (h.get(CURRENT) == null) {
            return Optional.empty();
        }
        List<String> secrets = new ArrayList<>(List.of(h.get(CURRENT)));
        if (h.get(PREVIOUS) != null && nowMs < Long.parseLong(h.getOrDefault(PREVIOUS_UNTIL, "0"))) {
            secrets.add(h.get(PREVIOUS));
        }
        return Optional.of(secrets);
    }

    /** When the previous secret stops signing, while a rotation's overlap runs. */
    OptionalLong previousUntil(String hash, long nowMs) {
        String until = redis.text().hget(keys.webhookSecrets(hash), PREVIOUS_UNTIL);
        return until != null && Long.parseLong(until) > nowMs ? OptionalLong.of(Long.parseLong(until)) : OptionalLong.empty();
    }
}
