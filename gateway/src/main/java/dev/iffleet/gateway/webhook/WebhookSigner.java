package dev.iffleet.gateway.webhook;

import java.util.List;
import java.util.stream.Collectors;

/** Signs deliveries with every configured secret; signatures are space-separated, as Standard Webhooks allows. */
public final class WebhookSigner {

    private final List<byte[]> keys;

    public WebhookSigner(List<String> secrets) {
        this.keys = secrets.stream().map(WebhookSecrets::key).toList();
    }

    public boolean signs() {
        return !keys.isEmpty();
    }

    /** The {@code webhook-signature} header value, empty when there is no secret. */
    public String signature(String id, long timestamp, String body) {
        return keys.stream().map(k -> WebhookSecrets.sign(k, id, timestamp, body)).collect(Collectors.joining(" "));
    }
}
