package dev.iffleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.List;

/** Test assertions on a received webhook's signatures, checked with the shipped {@link WebhookVerifier}. */
final class Signatures {

    private Signatures() {}

    static void assertVerifies(Receiver.Received r, String secret, Clock clock) {
        assertDoesNotThrow(() -> new WebhookVerifier(List.of(secret), clock).verify(r.headers(), r.body()),
                "a receiver with this secret accepts the webhook");
    }

    static void assertRefused(Receiver.Received r, String secret, Clock clock) {
        assertThrows(WebhookVerifier.WebhookVerificationException.class,
                () -> new WebhookVerifier(List.of(secret), clock).verify(r.headers(), r.body()),
                "a receiver with this secret refuses the webhook");
    }

    /** How many signatures the {@code webhook-signature} header carries. */
    static int count(Receiver.Received r) {
        return r.headers().get("webhook-signature").split(" ").length;
    }
}
