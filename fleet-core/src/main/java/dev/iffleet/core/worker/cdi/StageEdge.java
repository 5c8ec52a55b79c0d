package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.worker.InvalidJobException;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.WorkerState;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The body of every worker's {@code @Incoming} method: parse, wait for warm-up, handle, and publish the
 * next stage's message before returning. Returning acks the record, so a crash before the next message
 * is acknowledged by Kafka means redelivery (at-least-once); any exception nacks it to the dead-letter topic.
 */
public final class StageEdge {

    private static final Duration READY_WAIT = Duration.ofMinutes(10);
    private static final Duration SEND_WAIT = Duration.ofSeconds(60);

    private final StageWorker worker;
    private final Emitter<String> next;

    /** @param next the emitter of the next stage's channel, or null for the last stage */
    public StageEdge(StageWorker worker, Emitter<String> next) {
        this.worker = worker;
        this.next = next;
    }

    public void consume(String json) {
        StageMessage msg;
        try {
            msg = Json.read(json, StageMessage.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("poison message on " + worker.stage().id() + ": " + e.getMessage(), e);
        }
        awaitReady();
        Optional<StageMessage> out = worker.handle(msg);
        out.ifPresent(this::send);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (worker.state() != WorkerState.READY) {
            if (worker.state() == WorkerState.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException(worker.stage().id() + " worker is " + worker.state() + ", cannot process");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for warm-up", e);
            }
        }
    }

    private void send(StageMessage msg) {
        if (next == null) {
            throw new IllegalStateException(worker.stage().id() + " has no next channel but produced " + msg.stage().id());
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> meta =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(msg.jobId());
        if (worker.stage().next().filter(msg.stage()::equals).isEmpty()) {
            // a job that skips a stage (upscale-only after the encoder) goes to its own stage's topic, not the next one
            meta = meta.withTopic(Topics.input(msg.stage()));
        }
        next.send(Message.of(Json.write(msg))
                .addMetadata(meta.build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            acked.get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish " + msg.stage().id() + " message of job " + msg.jobId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }
}
