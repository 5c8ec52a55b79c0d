package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import org.junit.jupiter.api.Test;

class GuidanceTest {

    @Test
    void learnedVarianceMatchesDiffusersIfGuidance() {
        JsonNode golden = Golden.load("guidance.json");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray both = NDArrays.concat(
                    new NDList(Golden.array(m, golden.get("uncond")), Golden.array(m, golden.get("cond"))), 0);
            NDArray out = Guidance.learnedVariance(both, (float) golden.get("guidance_scale").asDouble());
            Golden.assertClose(golden.get("output"), out, "guided");
        }
    }

    @Test
    void plainGuidanceCombinesUncondAndCondPerSample() {
        try (NDManager m = NDManager.newBaseManager()) {
            // batch B = 2: [u0, u1, c0, c1], each a single value.
            NDArray out = m.create(new float[] {1f, 2f, 3f, 6f}, new Shape(4, 1, 1, 1));
            NDArray guided = Guidance.plain(out, 3f);
            assertEquals(new Shape(2, 1, 1, 1), guided.getShape());
            assertArrayEquals(new float[] {1f + 3f * 2f, 2f + 3f * 4f}, guided.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void learnedVarianceTakesVarianceChannelsFromTheCondBranch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = m.create(new float[] {1f, 10f, 2f, 20f}, new Shape(2, 2, 1, 1));
            NDArray guided = Guidance.learnedVariance(out, 0f);
            assertArrayEquals(new float[] {1f, 20f}, guided.toFloatArray(), 1e-6f);
        }
    }
}
