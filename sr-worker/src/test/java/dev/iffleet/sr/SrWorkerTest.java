package dev.iffleet.sr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
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
import java.util.Map;
import javax.imageio.ImageIO;

/** Stage II against real Kafka and Redis: embeddings and a 64px image in, a (1, 3, 256, 256) image and its PNG out. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class SrWorkerTest extends StageWorkerContract {

    @Override
    protected Stage stage() {
        return Stage.SR;
    }

    @Override
    protected StageMessage prepare(String jobId, JobParams params) {
        String prompt = jobs.keys().artifact(jobId, Stage.ENCODE, "prompt_emb");
        String negative = jobs.keys().artifact(jobId, Stage.ENCODE, "negative_emb");
        redis.putBytes(prompt, TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64), jobs.ttl());
        redis.putBytes(negative, TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64), jobs.ttl());
        String lowRes = jobs.keys().artifact(jobId, Stage.STAGE1, "image");
        redis.putBytes(lowRes, TestJobs.randomTensor(DataType.FLOAT32, 1, 3, 64, 64), jobs.ttl());
        return new StageMessage(jobId, Stage.SR, 1,
                Map.of("encode.prompt_emb", prompt, "encode.negative_emb", negative, "stage1.image", lowRes), params,
                System.currentTimeMillis());
    }

    @Override
    protected void checkOutputs(String jobId, Map<String, String> outputs) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = TensorCodec.decode(m, redis.getBytes(outputs.get("image")).orElseThrow());
            assertEquals(new Shape(1, 3, 256, 256), image.getShape());
        }
        BufferedImage png = png(redis.getBytes(outputs.get("png")).orElseThrow());
        assertEquals(256, png.getWidth());
        assertEquals(256, png.getHeight());
    }

    static BufferedImage png(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
