package dev.iffleet.gateway.submit;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import dev.iffleet.gateway.observe.GatewayTracing;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Creates a job: the record goes to Redis first (so the id answers at once), then the encode message to
 * Kafka; if Kafka does not acknowledge, the record is removed and the caller gets a 503.
 */
@ApplicationScoped
public class JobSubmitter {

    // gateway ids are UUIDs, client ids (PUT) 1-64 of these: no ':' or glob character can reach a Redis key
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    JobStore jobs;

    @Inject
    RedisStore redis;

    @Inject
    GatewayTracing tracing;

    @Inject
    @Channel("encode")
    Emitter<String> encode;

    public String submit(JobParams params, Map<String, String> recordFields) {
        return submit(UUID.randomUUID().toString(), params, recordFields);
    }

    public String submit(String id, JobParams params, Map<String, String> recordFields) {
        return submit(id, params, recordFields, Map.of());
    }

    /**
     * Creates the job under a given id (a client id, or one claimed for an idempotency key); {@code recordFields}
     * (webhook settings) go into the record in the same write, before any event can look for them.
     */
    public String submit(String id, JobParams params, Map<String, String> recordFields, Map<String, byte[]> inputs) {
        long now = System.currentTimeMillis();
        // uploads first: a worker that sees the job finds its inputs; they expire with the job's artifacts
        Map<String, String> inputKeys = new LinkedHashMap<>();
        inputs.forEach((name, png) -> {
            String key = jobs.keys().input(id, name);
            redis.putBytes(key, png, jobs.ttlFor(params));
            inputKeys.put(name, key);
        });
        Map<String, String> fields = new LinkedHashMap<>(recordFields);
        fields.putAll(tracing.currentField());
        jobs.create(id, params, now, fields);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> msg = Message.of(Json.write(StageMessage.first(id, params, inputKeys, now)))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(id).build())
                // the connector may send on another thread: name the submit's context, so the record carries its trace
                .addMetadata(TracingMetadata.withCurrent(Context.current()))
                .withAck(() -> complete(acked, null))
                .withNack(t -> complete(acked, t));
        try {
            encode.send(msg);
            acked.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            jobs.freeArtifacts(id);
            jobs.delete(id);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SubmitFailedException("could not queue the job: " + e.getMessage(), e);
        }
        return id;
    }

    /** Whether {@code id} can be a job id: a UUID handed out here or a client id, 1-64 of [A-Za-z0-9_-]. */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
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
