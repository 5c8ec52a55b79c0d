package dev.iffleet.core.job;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small message a stage consumes: which job, which attempt, where its inputs lie in Redis and the
 * job's parameters. Tensors never travel in Kafka, only these references.
 *
 * @param artifacts Redis keys of the artifacts produced so far, by {@code <stage>.<name>}
 * @param enqueuedAt epoch millis when this message was published, for the queue-wait timing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageMessage(
        String jobId, Stage stage, int attempt, Map<String, String> artifacts, JobParams params, long enqueuedAt) {

    public StageMessage {
        artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
    }

    /** The first message of a job, for the encoder. */
    public static StageMessage first(String jobId, JobParams params, long now) {
        return new StageMessage(jobId, Stage.ENCODE, 1, Map.of(), params, now);
    }

    /** The message for the next stage, carrying this stage's outputs on top of the earlier ones. */
    public StageMessage next(Map<String, String> outputs, long now) {
        Stage nextStage = stage.next().orElseThrow(() -> new IllegalStateException(stage + " is the last stage"));
        Map<String, String> all = new LinkedHashMap<>(artifacts);
        outputs.forEach((name, key) -> all.put(stage.id() + "." + name, key));
        return new StageMessage(jobId, nextStage, 1, all, params, now);
    }

    /** Redis key of an earlier stage's artifact, e.g. {@code artifact(Stage.ENCODE, "prompt_emb")}. */
    public String artifact(Stage producer, String name) {
        String key = artifacts.get(producer.id() + "." + name);
        if (key == null) {
            throw new IllegalArgumentException("message for " + stage.id() + " lacks artifact " + producer.id() + "." + name);
        }
        return key;
    }
}
