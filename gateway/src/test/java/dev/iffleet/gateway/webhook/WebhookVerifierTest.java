package dev.iffleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing and verification per Standard Webhooks, rotation and the timestamp tolerance. */
class WebhookVerifierTest {

    private static final String OLD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW = "whsec_dGVzdC1zZWNyZXQtZm9yLXRoZS1nYXRld2F5LXRlc3Rz";
    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    @Test
    void matchesTheStandardWebhooksReferenceSignature() {
        // the example of the Standard Webhooks reference libraries
        String body = "{\"test\": 2432232314}";
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                new WebhookSigner(List.of(OLD)).signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body));
    }

    @Test
    void acceptsItsOwnSignature() {
        String sig = new WebhookSigner(List.of(NEW)).signature("msg_1", NOW, "{}");
        assertDoesNotThrow(() -> new WebhookVerifier(List.of(NEW), CLOCK).verify(headers("msg_1", NOW, sig), "{}"));
    }

    @Test
    void duringRotationEitherSecretVerifies() {
        String both = new WebhookSigner(List.of(NEW, OLD)).signature("msg_1", NOW, "{}");
        assertEquals(2, both.split(" ").length);
        assertDoesNotThrow(() -> new WebhookVerifier(List.of(OLD), CLOCK).verify(headers("msg_1", NOW, both), "{}"));
        assertDoesNotThrow(() -> new WebhookVerifier(List.of(NEW), CLOCK).verify(headers("msg_1", NOW, both), "{}"));
    }

    @Test
    void refusesATamperedBodyOrId() {
        String sig = new WebhookSigner(List.of(NEW)).signature("msg_1", NOW, "{}");
        WebhookVerifier v = new WebhookVerifier(List.of(NEW), CLOCK);
        assertThrows(WebhookVerifier.WebhookVerificationException.class, () -> v.verify(headers("msg_1", NOW, sig), "{ }"));
        assertThrows(WebhookVerifier.WebhookVerificationException.class, () -> v.verify(headers("msg_2", NOW, sig), "{}"));
        assertThrows(WebhookVerifier.WebhookVerificationException.class,
                () -> new WebhookVerifier(List.of(OLD), CLOCK).verify(headers("msg_1", NOW, sig), "{}"));
    }

    @Test
    void refusesATimestampOutsideFiveMinutes() {
        WebhookVerifier v = new WebhookVerifier(List.of(NEW), CLOCK);
        long old = NOW - 301;
        String sig = new WebhookSigner(List.of(NEW)).signature("msg_1", old, "{}");
        assertThrows(WebhookVerifier.WebhookVerificationException.class, () -> v.verify(headers("msg_1", old, sig), "{}"));
        long soon = NOW + 299;
        String ok = new WebhookSigner(List.of(NEW)).signature("msg_1", soon, "{}");
        assertDoesNotThrow(() -> v.verify(headers("msg_1", soon, ok), "{}"));
    }

    @Test
    void generatedSecretsAreRandom32ByteKeysThatSignAndVerify() {
        String a = WebhookSecrets.generate();
        String b = WebhookSecrets.generate();
        assertEquals(32, WebhookSecrets.key(a).length);
        assertEquals(false, a.equals(b));
        String sig = new WebhookSigner(List.of(a)).signature("msg_1", NOW, "{}");
        assertDoesNotThrow(() -> new WebhookVerifier(List.of(a), CLOCK).verify(headers("msg_1", NOW, sig), "{}"));
        assertThrows(WebhookVerifier.WebhookVerificationException.class,
                () -> new WebhookVerifier(List.of(b), CLOCK).verify(headers("msg_1", NOW, sig), "{}"));
    }

    @Test
    void refusesMissingHeaders() {
        assertThrows(WebhookVerifier.WebhookVerificationException.class,
                () -> new WebhookVerifier(List.of(NEW), CLOCK).verify(Map.of("webhook-id", "msg_1"), "{}"));
    }

    static Map<String, String> headers(String id, long ts, String sig) {
        return Map.of("Webhook-Id", id, "webhook-timestamp", Long.toString(ts), "webhook-signature", sig);
    }
}
