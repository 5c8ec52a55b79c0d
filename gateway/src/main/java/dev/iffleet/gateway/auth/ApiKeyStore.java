package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Creates, finds, lists and revokes API keys in Redis, and rotates their webhook secrets; only a key's SHA-256 is
 * stored, never the key.
 */
public final class ApiKeyStore {

    /** A key just created: the key and its first webhook secret, which the caller shows once. */
    public record IssuedKey(String key, String webhookSecret) {
        /** Neither value ever reaches a log line. */
        @Override
        public String toString() {
            return "IssuedKey[" + ApiKeys.shortHash(ApiKeys.hash(key)) + "]";
        }
    }

    private final RedisStore redis;
    private final AuthKeys keys;
    private final WebhookSecretStore webhookSecrets;

    public ApiKeyStore(RedisStore redis, AuthKeys keys) {
        this.redis = redis;
        this.keys = keys;
        this.webhookSecrets = new WebhookSecretStore(redis, keys);
    }

    public AuthKeys keys() {
        return keys;
    }

    /**
     * Creates a key named {@code name} (names are unique) with its own webhook signing secret; empty limits follow
     * the gateway's defaults.
     *
     * @return the key itself, which nothing stores, and its secret: the caller shows both once
     * @throws IllegalArgumentException when the name is taken
     */
    public IssuedKey create(String name, OptionalInt ratePerMinute, OptionalInt maxConcurrent, long now) {
        String key = ApiKeys.generate();
        String hash = ApiKeys.hash(key);
        if (!redis.text().hsetnx(keys.names(), name, hash)) {
            throw new IllegalArgumentException("an API key named '" + name + "' exists already");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("created_at", Long.toString(now));
        ratePerMinute.ifPresent(r -> fields.put("rate_per_minute", Integer.toString(r)));
        maxConcurrent.ifPresent(c -> fields.put("max_concurrent", Integer.toString(c)));
        redis.text().hset(keys.apiKey(hash), fields);
        return new IssuedKey(key, webhookSecrets.create(hash));
    }

    /**
     * Gives the key named {@code name} a new webhook secret; until {@code now + overlap} its webhooks carry the
     * signatures of both the new and the previous secret, then only the new one's.
     *
     * @return the new secret, to show once; empty when no key has that name
     */
    public Optional<String> rotateWebhookSecret(String name, long now, Duration overlap) {
        String hash = redis.text().hget(keys.names(), name);
        return hash == null ? Optional.empty() : webhookSecrets.rotate(hash, now, overlap);
    }

    /**
     * The secrets that sign the webhooks of a key's jobs now, current first; empty when the key has none of its own
     * (it was made before keys had webhook secrets, or it was revoked).
     */
    public Optional<List<String>> webhookSecrets(String hash, long now) {
        return webhookSecrets.signing(hash, now);
    }

    /** When the key's previous webhook secret stops signing, while a rotation's overlap runs. */
    public OptionalLong previousSecretUntil(String hash, long now) {
        return webhookSecrets.previousUntil(hash, now);
    }

    /** The stored key a presented key hashes to, if any. */
    public Optional<ApiKey> findByKey(String key) {
        return findByHash(ApiKeys.hash(key));
    }

    public Optional<ApiKey> findByHash(String hash) {
        Map<String, String> h = redis.getHash(keys.apiKey(hash));
        return h.isEmpty() ? Optional.empty() : Optional.of(ApiKey.fromHash(hash, h));
    }

    /** Every key, oldest first. */
    public List<ApiKey> list() {
        List<ApiKey> all = new ArrayList<>();
        redis.text().hgetall(keys.names()).values().forEach(hash -> findByHash(hash).ifPresent(all::add));
        all.sort(Comparator.comparingLong(ApiKey::createdAt).thenComparing(ApiKey::name));
        return all;
    }

    /** @return whether a key of that name existed; it no longer authenticates, nor do its webhook secrets sign */
    public boolean revoke(String name) {
        String hash = redis.text().hget(keys.names(), name);
        if (hash == null) {
            return false;
        }
        redis.unlink(keys.apiKey(hash), keys.quota(hash), keys.webhookSecrets(hash));
        redis.text().hdel(keys.names(), name);
        return true;
    }
}
