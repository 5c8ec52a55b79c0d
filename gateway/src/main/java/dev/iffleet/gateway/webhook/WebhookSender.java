package dev.iffleet.gateway.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** POSTs one signed webhook: never follows redirects, bounded by a timeout, and re-checks the URL first (SSRF). */
final class WebhookSender {

    /** What one POST gave: a status code, or an error; {@code retryAfter} from a 429/503. */
    record Result(Integer code, String error, Optional<Duration> retryAfter) {}

    private final HttpClient http;
    private final Duration timeout;
    private final List<String> allowHosts;

    WebhookSender(Duration timeout, List<String> allowHosts) {
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
        this.timeout = timeout;
        this.allowHosts = allowHosts;
    }

    /**
     * @param signer signs with the secrets of this attempt (none: unsigned)
     * @throws WebhookUrls.UnsafeWebhookUrlException when the URL (now) resolves to a refused address
     */
    Result send(String deliveryId, String url, String body, long nowMs, WebhookSigner signer) {
        URI uri = WebhookUrls.check(url, allowHosts);
        long timestamp = nowMs / 1000;
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "if-fleet-webhooks")
                .header("webhook-id", deliveryId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signer.signs()) {
            req.header("webhook-signature", signer.signature(deliveryId, timestamp, body));
        }
        try {
            HttpResponse<Void> res = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
            Optional<Duration> retryAfter = Optional.empty();
            if (res.statusCode() == 429 || res.statusCode() == 503) {
                retryAfter = res.headers().firstValue("Retry-After").flatMap(WebhookSender::seconds);
            }
            return new Result(res.statusCode(), null, retryAfter);
        } catch (IOException e) {
            return new Result(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted", Optional.empty());
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: the schedule decides instead
        }
    }
}
