package dev.iffleet.gateway.webhook;

import java.util.HashMap;
import java.util.Map;

/**
 * One webhook message of one job event, as stored in the Redis hash {@code webhook:delivery:<id>}; {@code keyId} is the
 * id of the API key the job was submitted with (null without one), whose secrets sign it.
 */
public record Delivery(String id, String jobId, String keyId, String event, String url, String body, Status status,
        int attempts, long nextAt, Integer lastCode, String lastError, long createdAt) {

    /** Where a delivery stands. */
    public enum Status {
        /** Waiting for its next attempt (or being attempted). */
        PENDING,
        /** A 2xx answer came. */
        DELIVERED,
        /** The receiver answered 410 Gone: no more attempts. */
        GONE,
        /** Every scheduled attempt failed, or the URL is refused. */
        FAILED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status fromId(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }
    }

    Map<String, String> toHash() {
        Map<String, String> h = new HashMap<>();
        h.put("job_id", jobId);
        if (keyId != null) {
            h.put("key_id", keyId);
        }
        h.put("event", event);
        h.put("url", url);
        h.put("body", body);
        h.put("status", status.id());
        h.put("attempts", Integer.toString(attempts));
        h.put("next_at", Long.toString(nextAt));
        h.put("created_at", Long.toString(createdAt));
        return h;
    }

    static Delivery fromHash(String id, Map<String, String> h) {
        return new Delivery(id, h.get("job_id"), blank(h.get("key_id")) ? null : h.get("key_id"), h.get("event"),
                h.get("url"), h.get("body"),
                Status.fromId(h.getOrDefault("status", "pending")), Integer.parseInt(h.getOrDefault("attempts", "0")),
                Long.parseLong(h.getOrDefault("next_at", "0")),
                blank(h.get("last_code")) ? null : Integer.valueOf(h.get("last_code")),
                blank(h.get("last_error")) ? null : h.get("last_error"),
                Long.parseLong(h.getOrDefault("created_at", "0")));
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
