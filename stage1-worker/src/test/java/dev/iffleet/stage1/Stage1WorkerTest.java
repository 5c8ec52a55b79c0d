package dev.iffleet.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.testing.StageWorkerContract;
import dev.iffleet.core.testing.TestJobs;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import javax.imageio.ImageIO;

/** Stage I against real Kafka and Redis: embeddings in, a (1, 3, 64, 64) image and its PNG out. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class Stage1WorkerTest extends StageWorkerContract {

    @Override
    protected Stage stage() {
        return Stage.STAGE1;
    }

    @Override
    protected StageMessage prepare(String jobId, JobParams params) {
        String prompt = jobs.keys().artifact(jobId, Stage.ENCODE, "prompt_emb");
        String negative = jobs.keys().artifact(jobId, Stage.ENCODE, "negative_emb");
        redis.putBytes(prompt, TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64), jobs.ttl());
        redis.putBytes(negative, TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64), jobs.ttl());
        return new StageMessage(jobId, Stage.STAGE1, 1,
                Map.of("encode.prompt_emb", prompt, "encode.negative_emb", negative), params, System.currentTimeMillis());
    }

    @Override
    protected void checkOutputs(String jobId, Map<String, String> outputs) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = TensorCodec.decode(m, redis.getBytes(outputs.get("image")).orElseThrow());
            assertEquals(new Shape(1, 3, 64, 64), image.getShape());
        }
        BufferedImage png = png(redis.getBytes(outputs.get("png")).orElseThrow());
        assertEquals(64, png.getWidth());
        assertEquals(64, png.getHeight());
    }

    @Test
    void previewsTheX0EstimateEveryKStepsAndEachImageOfABatch() {
        String jobId = UUID.randomUUID().toString();
        JobParams p = new JobParams("p", "", 5, 64, new StageOverrides(4, 7.0, null, null, null, 2), null, null, null,
                null, 2, 48, 32, null, null, null);
        jobs.create(jobId, p, System.currentTimeMillis());
        send(prepare(jobId, p));

        awaitStageFinished(jobId);
        List<ConsumerRecord<String, String>> previews = kafka.await(Topics.DEFAULT.events(),
                r -> jobId.equals(r.key()) && r.value().contains("\"preview\""), 2, WAIT);
        assertEquals(2, previews.size());
        assertTrue(previews.get(0).value().contains("\"step\":2"), previews.get(0).value());
        BufferedImage preview = png(redis.getBytes(jobs.keys().artifact(jobId, Stage.STAGE1, Outputs.PREVIEW))
                .orElseThrow());
        assertEquals(48, preview.getWidth());
        assertEquals(32, preview.getHeight());
        Map<String, String> outputs = outputsOf(jobId);
        assertEquals(32, png(redis.getBytes(outputs.get(Outputs.png(1))).orElseThrow()).getHeight());
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(new Shape(2, 3, 32, 48),
                    TensorCodec.decode(m, redis.getBytes(outputs.get("image")).orElseThrow()).getShape());
        }
    }

    static BufferedImage png(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
