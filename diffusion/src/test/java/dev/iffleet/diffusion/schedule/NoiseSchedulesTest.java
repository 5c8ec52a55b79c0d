package dev.iffleet.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import org.junit.jupiter.api.Test;

class NoiseSchedulesTest {

    private static final JsonNode GOLDEN = Golden.load("schedules.json");

    @Test
    void squaredcosCapV2MatchesDiffusers() {
        float[] expected = Golden.floats(GOLDEN.get("squaredcos_cap_v2_alphas_cumprod").get("data"));
        assertArrayEquals(expected, NoiseSchedules.squaredcosCapV2(), 1e-6f);
    }

    @Test
    void scaledLinearMatchesDiffusers() {
        float[] expected = Golden.floats(GOLDEN.get("scaled_linear_1e-4_0.02_alphas_cumprod").get("data"));
        assertArrayEquals(expected, NoiseSchedules.scaledLinear(), 1e-6f);
    }

    @Test
    void schedulesHaveOneThousandSteps() {
        assertEquals(1000, NoiseSchedules.squaredcosCapV2().length);
        assertEquals(1000, NoiseSchedules.scaledLinear().length);
    }

    @Test
    void toDoubleWidensEveryEntry() {
        float[] table = NoiseSchedules.scaledLinear();
        double[] wide = NoiseSchedules.toDouble(table);
        assertEquals(table[500], wide[500], 0.0);
    }
}
