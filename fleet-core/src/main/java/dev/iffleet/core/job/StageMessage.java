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

    /** Artifact-name prefix of the caller's uploads (input image, mask), stored by the gateway before the job starts. */
    public static final String INPUT = "input";

    /** The first message of a job, for the encoder. */
    public static StageMessage first(String jobId, JobParams params, long now) {
        return first(jobId, params, Map.of(), now);
    }

    /** The first message of a job whose uploads lie at {@code inputs} (name, e.g. "image", to Redis key). */
    public static StageMessage first(String jobId, JobParams params, Map<String, String> inputs, long now) {
        Map<String, String> refs = new LinkedHashMap<>();
        inputs.forEach((name, key) -> refs.put(INPUT + "." + name, key));
        return new StageMessage(jobId, Stage.ENCODE, 1, refs, params, now);
    }

    /** The message for the job's next stage, carrying this stage's outputs on top of the earlier ones. */
    public StageMessage next(Map<String, String> outputs, long now) {
        Stage nextStage = params.stageAfter(stage);
        Map<String, String> all = new LinkedHashMap<>(artifacts);
        outputs.forEach((name, key) -> all.put(stage.id() + "." + name, key));
        return new StageMessage(jobId, nextStage, 1, all, params, now);
    }

    /** Redis key of one of the caller's uploads ({@code "image"}, {@code "mask"}). */
    public String input(String name) {
        String key = artifacts.get(INPUT + "." + name);
        if (key == null) {
            throw new IllegalArgumentException("job " + jobId + " has no input " + name);
        }
        return key;
    }

    /** Whether the caller uploaded this input. */
    public boolean hasInput(String name) {
        return artifacts.containsKey(INPUT + "." + name);
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
