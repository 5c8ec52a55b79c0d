package dev.iffleet.gateway.observe;

import dev.iffleet.core.store.RedisStore;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's end of a job's trace: the submit's context is kept in the job hash (field {@value #FIELD}, a W3C
 * {@code traceparent}), so webhook deliveries, made later from a schedule in Redis, join the job's trace.
 */
@ApplicationScoped
public class GatewayTracing {

    /** Job hash field with the submit's W3C trace context. */
    public static final String FIELD = "trace";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Set<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Inject
    OpenTelemetry otel;

    /** The record field that keeps the current span's context (empty without a valid span). */
    public Map<String, String> currentField() {
        Map<String, String> h = new HashMap<>();
        otel.getPropagators().getTextMapPropagator().inject(Context.current(), h, Map::put);
        String tp = h.get("traceparent");
        return tp == null ? Map.of() : Map.of(FIELD, tp);
    }

    /** A webhook delivery's span, in the trace of the job's submit (a new trace when the job kept none). */
    public Span delivery(String traceparent, String deliveryId) {
        Context parent = traceparent == null ? Context.root() : otel.getPropagators().getTextMapPropagator()
                .extract(Context.root(), Map.of("traceparent", traceparent), MAP);
        return otel.getTracer("dev.iffleet.gateway").spanBuilder("webhook deliver").setParent(parent)
                .setSpanKind(SpanKind.CLIENT).setAttribute("iffleet.delivery_id", deliveryId).startSpan();
    }

    /** The kept trace context of a job, or null. */
    public static String of(RedisStore redis, String jobKey) {
        return redis.text().hget(jobKey, FIELD);
    }
}
