package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.observe.EdgeTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge's spans on a real Kafka and Redis: each job stays in the trace its record brought, batched or not. */
class EdgeTracingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private EdgeFixture f;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk otel;

    @BeforeEach
    void fixture() {
        f = new EdgeFixture();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }

    @AfterEach
    void close() {
        f.close();
        otel.close();
    }

    @Test
    void everyJobsSpansStayInItsOwnTraceAndTheNextRecordCarriesIt() throws Exception {
        EchoWorker w = f.worker(0, true);
        f.replica(w, "0", 4, new EdgeTracing(otel)).bringUp(true);
        Map<String, Span> submits = new ConcurrentHashMap<>();
        CountDownLatch hold = w.holdNextBatch();
        List<String> first = f.enqueue(1, id -> submit(id, submits));
        Awaitility.await().atMost(WAIT).until(() -> !f.jobs.find(first.get(0)).orElseThrow().state().id().equals("queued"));
        List<String> backlog = f.enqueue(3, id -> submit(id, submits));
        hold.countDown();

        Map<String, String> handedOnTrace = new HashMap<>();
        for (ConsumerRecord<String, String> r : f.handedOnRecords(4, WAIT)) {
            handedOnTrace.put(r.key(), new String(r.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)
                    .split("-")[1]);
        }
        Awaitility.await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("stage1 consume")).count() == 4);
        List<SpanData> all = spans.getFinishedSpanItems();
        for (String id : submits.keySet()) {
            String trace = submits.get(id).getSpanContext().getTraceId();
            SpanData consume = one(all, "stage1 consume", id);
            assertEquals(trace, consume.getTraceId(), "consume continues the submit's trace");
            assertEquals(submits.get(id).getSpanContext().getSpanId(), consume.getParentSpanId());
            SpanData publish = all.stream().filter(s -> s.getName().equals("stage1 publish")
                    && s.getParentSpanId().equals(consume.getSpanId())).findFirst().orElseThrow();
            assertEquals(trace, publish.getTraceId());
            assertEquals(trace, handedOnTrace.get(id), "the next stage's record carries the job's trace");
        }
        // one model span per run, in its first job's trace, linked to its batch-mates' consume spans
        List<SpanData> runs = all.stream().filter(s -> s.getName().equals("stage1 model")).toList();
        assertEquals(w.batches.size(), runs.size());
        for (List<String> batch : w.batches) {
            SpanData run = runs.stream().filter(s -> s.getTraceId().equals(
                    submits.get(batch.get(0)).getSpanContext().getTraceId())).findFirst().orElseThrow();
            List<String> linked = run.getLinks().stream().map(LinkData::getSpanContext).map(c -> c.getTraceId()).toList();
            assertEquals(batch.subList(1, batch.size()).stream()
                    .map(id -> submits.get(id).getSpanContext().getTraceId()).toList(), linked);
        }
        assertTrue(w.batches.stream().anyMatch(b -> b.size() > 1), "the backlog shared a run: " + w.batches);
        assertEquals(3, backlog.size());
    }

    /** A "submit" span of the job's own trace, as the gateway's, and the headers that carry it. */
    private Map<String, String> submit(String id, Map<String, Span> submits) {
        Span s = otel.getTracer("test").spanBuilder("submit").setParent(Context.root()).startSpan();
        s.end();
        submits.put(id, s);
        Map<String, String> h = new HashMap<>();
        otel.getPropagators().getTextMapPropagator().inject(Context.root().with(s), h, Map::put);
        return h;
    }

    private static SpanData one(List<SpanData> all, String name, String jobId) {
        List<SpanData> found = all.stream().filter(s -> s.getName().equals(name)
                && jobId.equals(s.getAttributes().get(EdgeTracing.JOB_ID))).toList();
        assertEquals(1, found.size(), name + " of " + jobId);
        return found.get(0);
    }
}
