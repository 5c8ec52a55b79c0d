package dev.iffleet.core.observe;

import dev.iffleet.core.job.Stage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of the messaging edge, which uses plain kafka-clients (no instrumentation of its own): a job's context
 * comes in the W3C {@code traceparent} header of its record and goes out in the next stage's. Per job a consume span
 * (take to completion) with a publish span inside it; per model run one span, a child of its first job's consume span
 * and linked to the others', so each job's trace stays its own.
 */
public final class EdgeTracing {

    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("iffleet.job_id");
    public static final AttributeKey<String> STAGE = AttributeKey.stringKey("iffleet.stage");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<Long> BATCH = AttributeKey.longKey("iffleet.batch_size");

    /** No spans, nothing carried on: edges built without OpenTelemetry (unit tests). */
    public static final EdgeTracing NONE = new EdgeTracing(OpenTelemetry.noop());

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return StreamSupport.stream(carrier.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers carrier, String key) {
            Header h = carrier == null ? null : carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public EdgeTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("dev.iffleet.edge");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** A job's consume span, continuing the trace its record's headers carry (a new trace when they carry none). */
    public Span consume(Stage stage, String topic, Headers headers, String jobId) {
        Context parent = propagator.extract(Context.root(), headers, HEADERS);
        return tracer.spanBuilder(stage.id() + " consume").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic).setAttribute(STAGE, stage.id())
                .setAttribute(JOB_ID, jobId).startSpan();
    }

    /** One model run: in the first job's trace, linked to every other job's consume span. */
    public Span modelRun(Stage stage, List<Span> jobs) {
        SpanBuilder b = tracer.spanBuilder(stage.id() + " model").setParent(Context.root().with(jobs.get(0)))
                .setAttribute(STAGE, stage.id()).setAttribute(BATCH, (long) jobs.size());
        for (int i = 1; i < jobs.size(); i++) {
            b.addLink(jobs.get(i).getSpanContext());
        }
        return b.startSpan();
    }

    /** A publish span inside a job's consume span. */
    public Span publish(Stage stage, String topic, Span consume) {
        return tracer.spanBuilder(stage.id() + " publish").setParent(Context.root().with(consume))
                .setSpanKind(SpanKind.PRODUCER).setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .setAttribute(STAGE, stage.id()).startSpan();
    }

    /** The headers that carry {@code span}'s context on to the next record (none without OpenTelemetry). */
    public Map<String, String> headers(Span span) {
        Map<String, String> h = new LinkedHashMap<>();
        propagator.inject(Context.root().with(span), h, (carrier, key, value) -> carrier.put(key, value));
        return h;
    }
}
