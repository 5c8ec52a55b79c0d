package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GpuFitTest {

    private static final long GB = 1_000_000_000L;

    @Test
    void weightsThatFitPass() {
        assertTrue(GpuFit.problem("stage1_unet", "stage1_unet.fp16.pt", 8_090_000_000L, "gpu:0", 15 * GB, 16 * GB)
                .isEmpty());
        GpuFit.check("stage1_unet", "stage1_unet.fp16.pt", 15 * GB, "gpu:0", 15 * GB, 16 * GB); // exactly full: no throw
    }

    @Test
    void tooLargeIsRefusedWithBothNumbers() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> GpuFit.check(
                "stage1_unet", "stage1_unet.pt", 16_180_000_000L, "gpu:0", 14_750_000_000L, 16 * GB));
        assertEquals("component 'stage1_unet' does not fit gpu:0: its weights need about 16.18 GB (size of"
                + " stage1_unet.pt) but only 14.75 GB of 16.00 GB are free; free the GPU, give the worker a larger one,"
                + " or use a float16 export", e.getMessage());
    }

    @Test
    void oneByteOverIsRefused() {
        assertTrue(GpuFit.problem("t5_encoder", "t5.pt", 10 * GB + 1, "gpu:1", 10 * GB, 24 * GB).isPresent());
    }
}
