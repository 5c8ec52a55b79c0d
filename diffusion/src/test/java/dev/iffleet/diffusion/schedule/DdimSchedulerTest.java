package dev.iffleet.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import org.junit.jupiter.api.Test;

class DdimSchedulerTest {

    private static final JsonNode GOLDEN = Golden.load("ddim_x4.json");

    @Test
    void x4TimestepsAreLeadingWithOffsetOne() {
        DdimScheduler scheduler = DdimScheduler.forX4Upscaler(GOLDEN.get("steps").asInt());
        assertArrayEquals(Golden.ints(GOLDEN.get("timesteps")), scheduler.timesteps());
    }

    @Test
    void vPredictionStepsMatchDiffusersIncludingTheLastStep() {
        DdimScheduler scheduler = DdimScheduler.forX4Upscaler(GOLDEN.get("steps").asInt());
        int count = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (JsonNode c : GOLDEN.get("cases")) {
                int t = c.get("t").asInt();
                StepResult r = scheduler.step(Golden.array(m, c.get("model_output")), t,
                        Golden.array(m, c.get("sample")));
                Golden.assertClose(c.get("pred_original_sample"), r.predOriginalSample(), "x0 t=" + t);
                Golden.assertClose(c.get("prev_sample"), r.prevSample(), "prev t=" + t);
                count++;
            }
        }
        assertEquals(4, count);
    }
}
