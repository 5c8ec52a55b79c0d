package dev.iffleet.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import org.junit.jupiter.api.Test;

class NoiseAugmentTest {

    private static final JsonNode GOLDEN = Golden.load("add_noise.json");

    @Test
    void ifNoisingMatchesAddNoiseOnSquaredcosSchedule() {
        assertEquals(5, check(GOLDEN.get("if_noising"), NoiseSchedules.squaredcosCapV2()));
    }

    @Test
    void x4LowResNoisingMatchesAddNoiseOnScaledLinearSchedule() {
        assertEquals(4, check(GOLDEN.get("x4_low_res"), NoiseSchedules.scaledLinear()));
    }

    private static int check(JsonNode cases, float[] schedule) {
        int count = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (JsonNode c : cases) {
                int t = c.get("t").asInt();
                var noisy = NoiseAugment.addNoise(Golden.array(m, c.get("original")), Golden.array(m, c.get("noise")),
                        t, schedule);
                Golden.assertClose(c.get("noisy"), noisy, "t=" + t);
                count++;
            }
        }
        return count;
    }
}
