package dev.iffleet.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import java.util.Optional;

/**
 * One worker replica's latest report, as it writes it into the Redis hash {@link Keys#workers()} under the field
 * {@code <stage>:<replica>}: state, and since start the jobs and batches it ran and the model time they took.
 *
 * @param updatedAt epoch ms of the report; reports older than {@link #FRESH_MS} are ignored (the replica is gone)
 */
public record WorkerHeartbeat(Stage stage, String replica, String state, double meanBatch, long modelMs, long jobs,
        long batches, long updatedAt) {

    public static final long FRESH_MS = 10_000;

    /** The field and JSON value of one report; empty when either is not one a worker writes. */
    public static Optional<WorkerHeartbeat> parse(String field, String json) {
        int colon = field.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            Stage stage = Stage.fromId(field.substring(0, colon));
            JsonNode n = Json.MAPPER.readTree(json);
            return Optional.of(new WorkerHeartbeat(stage, field.substring(colon + 1), n.path("state").asText(""),
                    n.path("mean_batch").asDouble(0), n.path("model_ms").asLong(0), n.path("jobs").asLong(0),
                    n.path("batches").asLong(0), n.path("updated_at").asLong(0)));
        } catch (RuntimeException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    public boolean ready() {
        return "ready".equals(state);
    }

    public boolean freshAt(long now) {
        return now - updatedAt <= FRESH_MS;
    }

    /** Jobs per second of model time: what the replica drains while its queue is never empty; 0 before any job. */
    public double jobsPerSecond() {
        return jobs > 0 && modelMs > 0 ? jobs * 1000.0 / modelMs : 0;
    }

    /** Mean model time of one batch (ms), or 0 before any. */
    public double msPerBatch() {
        return batches > 0 ? (double) modelMs / batches : 0;
    }
}
