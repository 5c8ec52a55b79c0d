package dev.iffleet.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A small HTTP client of the gateway's job API, for the demo, the benches and the end-to-end tests. */
public final class FleetClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FleetClient(String baseUrl) {
        this(baseUrl, Map.of());
    }

    /** A client that sends {@code headers} with every request (e.g. {@code Authorization}). */
    public FleetClient(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.headers = Map.copyOf(headers);
    }

    /** A copy of this client that authenticates with {@code Authorization: Bearer <apiKey>}. */
    public FleetClient withApiKey(String apiKey) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Authorization", "Bearer " + apiKey);
        return new FleetClient(baseUrl, h);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A raw response: status and body. */
    public record Reply(int status, String contentType, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + new String(body), e);
            }
        }
    }

    public Reply post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** A POST without a body, for actions such as {@code /v1/jobs/{id}/cancel}. */
    public Reply post(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** Submits a job and returns its id; anything but 202 is an error with the problem body in the message. */
    public String submit(String jsonBody) {
        Reply r = post("/v1/jobs", jsonBody);
        if (r.status() != 202) {
            throw new IllegalStateException("submit answered " + r.status() + ": " + new String(r.body()));
        }
        return r.json().get("id").asText();
    }

    /** Polls the job until it succeeds or fails, reporting each view to {@code onUpdate}. */
    public JsonNode awaitDone(String id, Duration timeout, Consumer<JsonNode> onUpdate) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/v1/jobs/" + id).json();
            onUpdate.accept(job);
            String status = job.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private Reply send(HttpRequest.Builder builder) {
        headers.forEach(builder::header);
        try {
            HttpResponse<byte[]> r = http.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
