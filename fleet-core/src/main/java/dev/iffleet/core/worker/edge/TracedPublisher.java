package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.observe.StageMetrics;
import dev.iffleet.core.queue.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Map;
import java.util.function.Consumer;

/** The edge's acknowledged publishes, each timed and in a publish span whose context the record's headers carry. */
final class TracedPublisher {

    private final Stage stage;
    private final Topics topics;
    private final StageProducer producer;
    private final StageMetrics metrics;
    private final EdgeTracing tracing;

    TracedPublisher(Stage stage, Topics topics, StageProducer producer, StageMetrics metrics, EdgeTracing tracing) {
        this.stage = stage;
        this.topics = topics;
        this.producer = producer;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** The next stage's message, in the job's trace ({@code consume} is its consume span). */
    void next(Span consume, StageMessage msg) {
        publish(consume, topics.input(msg.stage()), "next", headers -> producer.send(msg, headers));
    }

    /** A record to the stage's dead-letter topic; {@code consume} is null for a record that is no message. */
    void deadLetter(Span consume, String key, String value, String reason) {
        publish(consume, topics.deadLetter(stage), "dead_letter",
                headers -> producer.deadLetter(stage, key, value, reason, headers));
    }

    private void publish(Span consume, String topic, String kind, Consumer<Map<String, String>> send) {
        Span span = consume == null ? Span.getInvalid() : tracing.publish(stage, topic, consume);
        long t0 = System.nanoTime();
        try {
            send.accept(tracing.headers(span));
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            metrics.kafkaPublish(kind, System.nanoTime() - t0);
            span.end();
        }
    }
}
