package dev.iffleet.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Verifies a received webhook per Standard Webhooks: the {@code webhook-timestamp} is within 5 minutes of now and
 * one of the {@code webhook-signature} entries matches one of the receiver's secrets (compared in constant time).
 * Receivers may copy this class; it depends on the JDK only.
 */
public final class WebhookVerifier {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> keys;
    private final Clock clock;

    public WebhookVerifier(List<String> secrets) {
        this(secrets, Clock.systemUTC());
    }

    public WebhookVerifier(List<String> secrets, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one secret");
        }
        this.keys = secrets.stream().map(WebhookSecrets::key).toList();
        this.clock = clock;
    }

    /**
     * Checks the headers (names in any case) and the raw body exactly as received.
     *
     * @throws WebhookVerificationException naming what is wrong
     */
    public void verify(Map<String, String> headers, String body) {
        String id = header(headers, "webhook-id");
        String ts = header(headers, "webhook-timestamp");
        String signatures = header(headers, "webhook-signature");
        long timestamp;
        try {
            timestamp = Long.parseLong(ts.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > TOLERANCE.toSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp is more than 5 minutes from now");
        }
        for (byte[] key : keys) {
            byte[] expected = WebhookSecrets.sign(key, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
            for (String candidate : signatures.trim().split(" +")) {
                if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                    return;
                }
            }
        }
        throw new WebhookVerificationException("no matching signature");
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && h.getValue() != null) {
                return h.getValue();
            }
        }
        throw new WebhookVerificationException("missing header " + name);
    }

    /** A webhook that must not be trusted. */
    public static final class WebhookVerificationException extends RuntimeException {
        public WebhookVerificationException(String message) {
            super(message);
        }
    }
}
