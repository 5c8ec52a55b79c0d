package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Creates, finds, lists and revokes API keys in Redis; only their SHA-256 is stored, never the key. */
public final class ApiKeyStore {

    private final RedisStore redis;
    private final AuthKeys keys;

    public ApiKeyStore(RedisStore redis, AuthKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    public AuthKeys keys() {
        return keys;
    }

    /**
     * Creates a key named {@code name} (names are unique); empty limits follow the gateway's defaults.
     *
     * @return the key itself, which nothing stores: the caller shows it once
     * @throws IllegalArgumentException when the name is taken
     */
    public String create(String name, OptionalInt ratePerMinute, OptionalInt maxConcurrent, long now) {
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
        return key;
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

    /** @return whether a key of that name existed; it no longer authenticates */
    public boolean revoke(String name) {
        String hash = redis.text().hget(keys.names(), name);
        if (hash == null) {
            return false;
        }
        redis.unlink(keys.apiKey(hash), keys.quota(hash));
        redis.text().hdel(keys.names(), name);
        return true;
    }
}
