package dev.iffleet.gateway.submit;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Creates a job: the record goes to Redis first (so the id answers at once), then the encode message to
 * Kafka; if Kafka does not acknowledge, the record is removed and the caller gets a 503.
 */
@ApplicationScoped
public class JobSubmitter {

    @Inject
    JobStore jobs;

    @Inject
    @Channel("encode")
    Emitter<String> encode;

    public String submit(JobParams params) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jobs.create(id, params, now);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> msg = Message.of(Json.write(StageMessage.first(id, params, now)))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(id).build())
                .withAck(() -> complete(acked, null))
                .withNack(t -> complete(acked, t));
        try {
            encode.send(msg);
            acked.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            jobs.delete(id);
            throw new SubmitFailedException("could not queue the job: " + e.getMessage(), e);
        }
        return id;
    }

    private static CompletionStage<Void> complete(CompletableFuture<Void> f, Throwable t) {
        if (t == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(t);
        }
        return CompletableFuture.completedFuture(null);
    }
}
