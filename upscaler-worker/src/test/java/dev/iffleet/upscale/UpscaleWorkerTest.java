package dev.iffleet.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.DataType;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
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

/** The x4 stage against real Kafka and Redis: a 256px image in, the final 1024px PNG out, job succeeded. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class UpscaleWorkerTest extends StageWorkerContract {

    @Override
    protected Stage stage() {
        return Stage.UPSCALE;
    }

    @Override
    protected StageMessage prepare(String jobId, JobParams params) {
        String lowRes = jobs.keys().artifact(jobId, Stage.SR, "image");
        redis.putBytes(lowRes, TestJobs.randomTensor(DataType.FLOAT32, 1, 3, 256, 256), jobs.ttl());
        return new StageMessage(jobId, Stage.UPSCALE, 1, Map.of("sr.image", lowRes), params, System.currentTimeMillis());
    }

    @Override
    protected void checkOutputs(String jobId, Map<String, String> outputs) {
        assertEquals(java.util.Set.of("png"), outputs.keySet());
        BufferedImage png;
        try {
            png = ImageIO.read(new ByteArrayInputStream(redis.getBytes(outputs.get("png")).orElseThrow()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(1024, png.getWidth());
        assertEquals(1024, png.getHeight());
    }
}
