package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.Stage;
import org.junit.jupiter.api.Test;

/** The profiler builds each component's inputs from the pack's symbolic shapes. */
class CostProfilerTest {

    @Test
    void symbolicDimensionsTakeTheBatchAndTheStagesSize() {
        ModelPack pack = TinyPack.load();
        PackManifest.StageSpec upscale = pack.stage(Stage.UPSCALE);
        assertEquals(8, CostProfiler.dim("2B", upscale, 8), "the leading dimension is the batch itself");
        assertEquals(77, CostProfiler.dim(77, upscale, 8));
        assertEquals((long) upscale.height() / 4, CostProfiler.dim("h", upscale, 1));
        assertEquals((long) upscale.width(), CostProfiler.dim("4w", upscale, 1));
        assertThrows(IllegalArgumentException.class, () -> CostProfiler.dim("T", upscale, 1));
    }

    @Test
    void inputsFollowTheManifest() {
        ModelPack pack = TinyPack.load();
        try (ModelRuntime runtime = ModelRuntime.open(pack, RuntimeSettings.cpu()); NDManager m = runtime.newJobManager()) {
            NDList in = CostProfiler.inputs(m, pack, pack.component("stage1_unet").inputs(), Stage.STAGE1, 4);
            PackManifest.StageSpec s1 = pack.stage(Stage.STAGE1);
            assertEquals(new Shape(4, 3, s1.height(), s1.width()), in.get(0).getShape());
            assertEquals(new Shape(4), in.get(1).getShape());
        }
    }
}
