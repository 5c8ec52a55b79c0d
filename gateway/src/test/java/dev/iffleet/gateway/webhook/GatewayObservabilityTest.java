package dev.iffleet.gateway.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.events.LiveEvents;
import dev.iffleet.gateway.observe.GatewayTracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The gateway's metrics and traces against real Kafka and Redis: {@code /q/metrics} moves by exactly one submit and
 * one webhook delivery, and the submit's trace reaches the encode record's headers and the webhook delivery.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class GatewayObservabilityTest {

    private static final String SUBMITS =
            "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"202\",uri=\"/v1/jobs\"}";
    private static final String DELIVERED = "iffleet_webhook_deliveries_total{outcome=\"delivered\"}";
    private static final String ENCODE_LAG = "iffleet_stage_queue_lag{stage=\"encode\"}";

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Inject
    InMemorySpanExporter spans;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.otel.traces.sampler")
    String sampler;

    @Test
    void theServicesTraceSamplingDefaultsApply() {
        // fleet-core's META-INF/microprofile-config.properties: a ratio (0 outside tests), not Quarkus' always_on
        assertEquals("parentbased_traceidratio", sampler);
    }

    @Test
    void submitAndWebhookMoveTheCountersAndShareOneTrace() {
        try (Receiver receiver = new Receiver(200)) {
            LiveEvents.awaitConsumer();
            await().atMost(Duration.ofSeconds(30)).until(() -> !Double.isNaN(value(scrape(), ENCODE_LAG)));
            String before = scrape();
            String id = given().contentType("application/json")
                    .body("{\"prompt\": \"observed\", \"webhook\": \"" + receiver.url("/hook") + "\"}")
                    .post("/v1/jobs").then().statusCode(202).extract().path("id");
            LiveEvents.send(JobEvent.of(id, Stage.UPSCALE, JobEvent.Type.SUCCEEDED, 3));
            await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(), DELIVERED) >= value(before, DELIVERED) + 1);

            String after = scrape();
            assertEquals(value(before, SUBMITS) + 1, value(after, SUBMITS), () -> "one accepted submit in " + after.lines()
                    .filter(l -> l.startsWith("http_server_requests_seconds_count")).toList());
            assertEquals(value(before, DELIVERED) + 1, value(after, DELIVERED), "one webhook delivered");
            // no encoder consumes in these tests: the job's record is lag on the encode group
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), ENCODE_LAG) >= value(before, ENCODE_LAG) + 1);

            String trace = redis.text().hget(jobs.keys().job(id), GatewayTracing.FIELD).split("-")[1];
            SpanData server = awaitSpan(s -> s.getName().startsWith("POST") && s.getTraceId().equals(trace));
            assertTrue(!server.getParentSpanContext().isValid(), "the submit starts the trace");
            ConsumerRecord<String, String> queued = LiveEvents.kafka().await(Topics.DEFAULT.input(Stage.ENCODE),
                    r -> id.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            String header = new String(queued.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertEquals(trace, header.split("-")[1], "the encode record carries the submit's trace");
            SpanData delivery = awaitSpan(s -> s.getName().equals("webhook deliver") && s.getTraceId().equals(trace));
            assertEquals("delivered", delivery.getAttributes().get(
                    io.opentelemetry.api.common.AttributeKey.stringKey("iffleet.outcome")));
        }
    }

    private SpanData awaitSpan(java.util.function.Predicate<SpanData> match) {
        SpanData[] found = new SpanData[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<SpanData> all = spans.getFinishedSpanItems();
            found[0] = all.stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** A series' value in a scrape (an exemplar may follow it), 0 when absent (a counter not yet incremented). */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
