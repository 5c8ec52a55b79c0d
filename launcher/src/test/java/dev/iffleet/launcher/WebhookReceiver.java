package dev.iffleet.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback webhook receiver for the end-to-end tests: records every POST and answers 500 to the first
 * {@code failFirst} of them, 204 after. Signatures are checked as a Standard Webhooks receiver would.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as received: the headers that matter and the raw body. */
    record Hit(String id, String timestamp, String signature, String body, int answered) {}

    private final HttpServer server;
    private final List<Hit> hits = new ArrayList<>();
    private final AtomicInteger failFirst;

    WebhookReceiver(int failFirst) throws IOException {
        this.failFirst = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int code = failFirst.getAndDecrement() > 0 ? 500 : 204;
        synchronized (hits) {
            hits.add(new Hit(ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), body, code));
            hits.notifyAll();
        }
        ex.sendResponseHeaders(code, -1);
        ex.close();
    }

    List<Hit> hits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    /** Waits until at least {@code n} POSTs came, then returns all of them. */
    List<Hit> awaitHits(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (hits) {
            while (hits.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + hits.size() + " webhook POSTs after " + timeout + ": " + hits);
                }
                hits.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(hits);
        }
    }

    /** True when one of the space-separated {@code v1,} signatures is the HMAC of {@code id.timestamp.body}. */
    static boolean signedBy(Hit hit, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = ("v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                    (hit.id() + "." + hit.timestamp() + "." + hit.body()).getBytes(StandardCharsets.UTF_8))))
                    .getBytes(StandardCharsets.UTF_8);
            for (String sig : hit.signature() == null ? new String[0] : hit.signature().split(" ")) {
                if (MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
