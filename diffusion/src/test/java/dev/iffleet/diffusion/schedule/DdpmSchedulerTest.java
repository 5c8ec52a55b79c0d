package dev.iffleet.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DdpmSchedulerTest {

    @Test
    void stage1StepsMatchDiffusersForEveryCase() {
        assertEquals(20, checkAllCases(Golden.load("ddpm_stage1.json"), DdpmScheduler::stage1, 1.5));
    }

    @Test
    void stage2StepsMatchDiffusersForEveryCase() {
        assertEquals(10, checkAllCases(Golden.load("ddpm_stage2.json"), DdpmScheduler::stage2, 1.0));
    }

    @Test
    void dynamicThresholdingMatchesTorchQuantile() {
        JsonNode golden = Golden.load("threshold_stage1.json");
        DdpmScheduler scheduler = new DdpmScheduler(NoiseSchedules.squaredcosCapV2(), Timesteps.leading(10, 0),
                golden.get("ratio").asDouble(), golden.get("sample_max_value").asDouble());
        try (NDManager m = NDManager.newBaseManager()) {
            int i = 0;
            for (JsonNode c : golden.get("cases")) {
                NDArray out = scheduler.thresholdSample(Golden.array(m, c.get("input")));
                Golden.assertClose(c.get("output"), out, "threshold case " + i++);
            }
            assertEquals(3, i);
        }
    }

    @Test
    void previousTimestepFollowsTheListAndEndsAtMinusOne() {
        DdpmScheduler scheduler = DdpmScheduler.stage1(Timesteps.named("fast27"));
        assertEquals(800, scheduler.previousTimestep(999));
        assertEquals(799, scheduler.previousTimestep(800));
        assertEquals(-1, scheduler.previousTimestep(0));
        assertThrows(IllegalArgumentException.class, () -> scheduler.previousTimestep(998));
    }

    @Test
    void stepAtPositiveTimestepWithoutNoiseIsRejected() {
        DdpmScheduler scheduler = DdpmScheduler.stage1(Timesteps.leading(10, 0));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray sample = m.zeros(new ai.djl.ndarray.types.Shape(1, 3, 2, 2));
            NDArray out = m.zeros(new ai.djl.ndarray.types.Shape(1, 6, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> scheduler.step(out, 900, sample, null));
        }
    }

    private static int checkAllCases(JsonNode golden, java.util.function.Function<int[], DdpmScheduler> factory,
            double sampleMax) {
        assertEquals(sampleMax, golden.get("config").get("sample_max_value").asDouble());
        int count = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = golden.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> list = it.next();
                if (list.getKey().equals("config")) {
                    continue;
                }
                int[] timesteps = Golden.ints(list.getValue().get("timesteps"));
                DdpmScheduler scheduler = factory.apply(timesteps);
                assertArrayEquals(timesteps, scheduler.timesteps());
                for (JsonNode c : list.getValue().get("cases")) {
                    int t = c.get("t").asInt();
                    String what = list.getKey() + " t=" + t;
                    assertEquals(c.get("prev_t").asInt(), scheduler.previousTimestep(t), what + " prev_t");
                    StepResult r = scheduler.step(Golden.array(m, c.get("model_output")), t,
                            Golden.array(m, c.get("sample")), Golden.array(m, c.get("noise")));
                    Golden.assertClose(c.get("pred_original_sample"), r.predOriginalSample(), what + " x0");
                    Golden.assertClose(c.get("prev_sample"), r.prevSample(), what + " prev");
                    count++;
                }
            }
        }
        return count;
    }
}
