package dev.iffleet.encode;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.testing.TestJobs;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.devstack.KafkaProbe;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A real worker's {@code /q/metrics} and spans after one job: each per-stage figure moved by exactly that job, and
 * the job's spans continue the trace its record brought, which goes on in the next stage's record.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class EncodeObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TAGS = "replica=\"0\",stage=\"encode\"";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void oneJobMovesEachFigureByOneAndStaysInItsTrace() {
        DevStack stack = DevStack.shared();
        String id = UUID.randomUUID().toString();
        try (RedisStore redis = new RedisStore(stack.redisUri()); KafkaProbe kafka = new KafkaProbe(stack.bootstrapServers())) {
            JobStore jobs = new JobStore(redis, new Keys(""), Duration.ofMinutes(10));
            jobs.create(id, TestJobs.smallJob("an observed circle", 1024), System.currentTimeMillis());
            await().atMost(WAIT).until(() -> scrape().contains("iffleet_stage_jobs_in_flight{" + TAGS + "}"));
            String before = scrape();
            StageMessage msg = StageMessage.first(id, jobs.find(id).orElseThrow().params(), System.currentTimeMillis());
            kafka.send(Topics.DEFAULT.input(Stage.ENCODE), id, Json.write(msg),
                    Map.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01"));

            ConsumerRecord<String, String> next = kafka.await(Topics.DEFAULT.input(Stage.STAGE1), r -> id.equals(r.key()),
                    1, WAIT).get(0);
            assertEquals(TRACE, new String(next.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)
                    .split("-")[1], "the next stage's record carries the job's trace");
            await().atMost(WAIT).until(() -> delta(before, scrape(), "iffleet_stage_kafka_publish_seconds_count",
                    ",topic_kind=\"next\"") == 1);
            String after = scrape();
            assertEquals(1, delta(before, after, "iffleet_stage_queue_wait_seconds_count", ""));
            assertEquals(1, delta(before, after, "iffleet_stage_batch_model_seconds_count", ""));
            assertEquals(1, delta(before, after, "iffleet_stage_job_model_seconds_count", ""));
            assertEquals(1, delta(before, after, "iffleet_stage_batch_size_count", ""));
            assertEquals(1, delta(before, after, "iffleet_stage_batch_size_sum", ""), "a batch of one");
            assertEquals(1, delta(before, after, "iffleet_stage_redis_seconds_count", ",script=\"admit\""));
            assertEquals(1, delta(before, after, "iffleet_stage_redis_seconds_count", ",script=\"complete\""));
            assertEquals(0, value(after, "iffleet_stage_jobs_in_flight{" + TAGS + "}"));
            assertFalse(after.contains("iffleet_stage_gpu_memory_used"), "no GPU gauge on a CPU replica");

            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> isConsumeOf(s, id)));
            for (SpanData s : spans.getFinishedSpanItems()) {
                if (isConsumeOf(s, id)) {
                    assertEquals(TRACE, s.getTraceId());
                    assertEquals("00f067aa0ba902b7", s.getParentSpanId(), "a child of the record's span");
                }
            }
            assertEquals(1, spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("encode model") && s.getTraceId().equals(TRACE)).count());
        }
    }

    private static boolean isConsumeOf(SpanData s, String jobId) {
        return s.getName().equals("encode consume") && jobId.equals(s.getAttributes().get(EdgeTracing.JOB_ID));
    }

    private static double delta(String before, String after, String name, String moreTags) {
        String series = name + "{" + TAGS + moreTags + "}";
        return value(after, sorted(series)) - value(before, sorted(series));
    }

    /** Micrometer writes tags in name order: replica, script, stage, topic_kind. */
    private static String sorted(String series) {
        int open = series.indexOf('{');
        String[] tags = series.substring(open + 1, series.length() - 1).split(",");
        java.util.Arrays.sort(tags);
        return series.substring(0, open) + "{" + String.join(",", tags) + "}";
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** A series' value in a scrape (an exemplar may follow it), 0 when absent. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
