package dev.iffleet.gateway.auth;

/**
 * Redis key layout of API keys: {@code <prefix>apikey:<sha256>} (hash: name, created_at, limits),
 * {@code <prefix>apikey:<sha256>:quota} (sorted set of the key's unfinished job ids and reservations),
 * {@code <prefix>apikey:<sha256>:webhook-secrets} (hash: current, previous, previous_until), {@code <prefix>apikeys}
 * (hash name → sha256, the listing and the name's uniqueness) and {@code <prefix>ratelimit:<sha256>:<minute>}.
 */
public record AuthKeys(String prefix) {

    public AuthKeys {
        prefix = prefix == null ? "" : prefix;
    }

    public String apiKey(String hash) {
        return prefix + "apikey:" + hash;
    }

    public String quota(String hash) {
        return apiKey(hash) + ":quota";
    }

    public String webhookSecrets(String hash) {
        return apiKey(hash) + ":webhook-secrets";
    }

    public String names() {
        return prefix + "apikeys";
    }

    public String rate(String hash, long window) {
        return prefix + "ratelimit:" + hash + ":" + window;
    }

    /** Prefix of a job record's key, as {@code dev.iffleet.core.store.Keys#job} writes it. */
    public String jobPrefix() {
        return prefix + "job:";
    }
}
