package dev.iffleet.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Mode;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import org.junit.jupiter.api.Test;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.testing.StageWorkerContract;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;

/** The encoder against real Kafka and Redis: prompt in, two (1, 77, 64) float16 embeddings out. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class EncodeWorkerTest extends StageWorkerContract {

    @Override
    protected Stage stage() {
        return Stage.ENCODE;
    }

    @Override
    protected StageMessage prepare(String jobId, JobParams params) {
        return StageMessage.first(jobId, params, System.currentTimeMillis());
    }

    @Test
    void upscaleOnlyJobsAreRoutedPastStage1WithoutEncoding() {
        String jobId = java.util.UUID.randomUUID().toString();
        JobParams p = new JobParams("", "", 1, 1024, null, null, null, null, Mode.UPSCALE, null, 16, 16, Stage.UPSCALE,
                null, null);
        jobs.create(jobId, p, System.currentTimeMillis());
        send(StageMessage.first(jobId, p, Map.of("image", "k:input:image"), System.currentTimeMillis()));

        awaitStageFinished(jobId);
        assertEquals(Map.of(), outputsOf(jobId));
        StageMessage next = kafka.await(Topics.DEFAULT.input(Stage.UPSCALE), r -> jobId.equals(r.key()), 1, WAIT).stream()
                .map(r -> Json.read(r.value(), StageMessage.class)).findFirst().orElseThrow();
        assertEquals(Stage.UPSCALE, next.stage());
        assertEquals("k:input:image", next.input("image"));
    }

    @Test
    void promptsArePreprocessedAsIfDoes() {
        assertEquals("a red circle", EncodeWorker.preprocess("  A <b>Red</b> Circle https://example.com ", true));
        assertEquals("a <b>red</b> circle", EncodeWorker.preprocess("  A <b>Red</b> Circle ", false));
    }

    @Override
    protected StageMessage spoil(StageMessage msg) {
        JobParams p = msg.params();
        JobParams noPrompt = new JobParams(null, p.negativePrompt(), p.seed(), p.outputSize(), p.stage1(), p.sr(), p.upscale());
        return new StageMessage(msg.jobId(), msg.stage(), msg.attempt(), msg.artifacts(), noPrompt, msg.enqueuedAt());
    }

    @Override
    protected void checkOutputs(String jobId, Map<String, String> outputs) {
        assertEquals(Map.of("prompt_emb", 0, "negative_emb", 0).keySet(), outputs.keySet());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray prompt = TensorCodec.decode(m, redis.getBytes(outputs.get("prompt_emb")).orElseThrow());
            NDArray negative = TensorCodec.decode(m, redis.getBytes(outputs.get("negative_emb")).orElseThrow());
            assertEquals(new Shape(1, 77, 64), prompt.getShape());
            assertEquals(new Shape(1, 77, 64), negative.getShape());
            assertFalse(prompt.contentEquals(negative), "prompt and negative prompt encode differently");
        }
    }
}
