package dev.iffleet.gateway.auth;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A stored API key: its hash (never the key), its name and its limits; an empty limit means the gateway's default.
 */
public record ApiKey(String hash, String name, long createdAt, OptionalInt ratePerMinute, OptionalInt maxConcurrent) {

    static ApiKey fromHash(String hash, Map<String, String> h) {
        return new ApiKey(hash, h.getOrDefault("name", ""), Long.parseLong(h.getOrDefault("created_at", "0")),
                optionalInt(h.get("rate_per_minute")), optionalInt(h.get("max_concurrent")));
    }

    public int ratePerMinute(AuthConfig config) {
        return ratePerMinute.orElse(config.defaultRatePerMinute());
    }

    public int maxConcurrent(AuthConfig config) {
        return maxConcurrent.orElse(config.defaultMaxConcurrent());
    }

    /** What logs may show: the name and a hash prefix. */
    @Override
    public String toString() {
        return "'" + name + "' (" + ApiKeys.shortHash(hash) + ")";
    }

    private static OptionalInt optionalInt(String v) {
        return v == null || v.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }
}
