package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuperResSamplerTest {

    private static final int[] STEPS = {999, 600, 250, 0};
    private static final int NOISE_LEVEL = 250;

    private static NDArray lowRes(NDManager m) {
        return m.arange(48f).reshape(1, 3, 4, 4).div(24f).sub(1f);
    }

    private static NDArray run(NDManager m, long seed, NDArray lowRes, Denoiser unet, StepListener l) {
        NDArray text = m.ones(new Shape(1, 77, 8));
        NDArray neg = m.zeros(new Shape(1, 77, 8));
        return SuperResSampler.sample(m, text, neg, lowRes, STEPS, 4f, NOISE_LEVEL, 8, 8, new NoiseSource(seed), unet,
                l);
    }

    @Test
    void outputHasTheRequestedHighResolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = run(m, 1, lowRes(m), new RecordingDenoiser(RecordingDenoiser.zeros(6)), null);
            assertEquals(new Shape(1, 3, 8, 8), x.getShape());
            assertSame(m, x.getManager());
        }
    }

    @Test
    void unetReceivesNoiseAndNoisedUpscaleDoubledWithInt64TimestepAndClassLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray low = lowRes(m);
            run(m, 3, low, unet, null);
            assertEquals(STEPS.length, unet.calls.size());

            NoiseSource expectedNoise = new NoiseSource(3);
            float[] xT = expectedNoise.gaussian(m, new Shape(1, 3, 8, 8)).toFloatArray();
            NDArray aug = expectedNoise.gaussian(m, new Shape(1, 3, 8, 8));
            float[] upscaled = NoiseAugment.addNoise(Upsample.bilinearAlignCorners(low, 8, 8), aug, NOISE_LEVEL,
                    NoiseSchedules.squaredcosCapV2()).toFloatArray();

            for (int i = 0; i < STEPS.length; i++) {
                List<RecordingDenoiser.Seen> in = unet.calls.get(i);
                assertEquals(4, in.size());
                assertEquals(new Shape(2, 6, 8, 8), in.get(0).shape());
                assertEquals(DataType.FLOAT32, in.get(0).type());
                float[] sample = in.get(0).floats();
                int plane = 3 * 64;
                assertArrayEquals(Arrays.copyOfRange(sample, 0, 2 * plane),
                        Arrays.copyOfRange(sample, 2 * plane, 4 * plane));
                assertArrayEquals(upscaled, Arrays.copyOfRange(sample, plane, 2 * plane), 1e-6f);
                if (i == 0) {
                    assertArrayEquals(xT, Arrays.copyOfRange(sample, 0, plane));
                }
                assertEquals(DataType.INT64, in.get(1).type());
                assertArrayEquals(new long[] {STEPS[i], STEPS[i]}, in.get(1).longs());
                assertEquals(new Shape(2, 77, 8), in.get(2).shape());
                assertEquals(0f, in.get(2).floats()[0]);
                assertEquals(1f, in.get(2).floats()[77 * 8]);
                assertEquals(new Shape(2), in.get(3).shape());
                assertEquals(DataType.INT64, in.get(3).type());
                assertArrayEquals(new long[] {NOISE_LEVEL, NOISE_LEVEL}, in.get(3).longs());
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalOutputAndAnotherSeedDiffers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 0.2f, -0.1f, 0f));
            float[] a = run(m, 21, lowRes(m), unet, null).toFloatArray();
            float[] b = run(m, 21, lowRes(m), unet, null).toFloatArray();
            float[] c = run(m, 22, lowRes(m), unet, null).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void listenerSeesEveryStepAndItsExceptionAborts() {
        try (NDManager m = NDManager.newBaseManager()) {
            ProgressRecorder all = new ProgressRecorder();
            run(m, 1, lowRes(m), new RecordingDenoiser(RecordingDenoiser.zeros(6)), all);
            assertEquals(List.of(1, 2, 3, 4), all.steps);
            assertEquals(List.of(4, 4, 4, 4), all.totals);

            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray low = lowRes(m);
            assertThrows(IllegalStateException.class, () -> run(m, 1, low, unet, new ProgressRecorder(1)));
            assertEquals(1, unet.calls.size());
            assertFalse(low.isReleased());
            assertSame(m, low.getManager());
        }
    }

    @Test
    void mismatchedLowResBatchIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray low = m.zeros(new Shape(2, 3, 4, 4));
            assertThrows(IllegalArgumentException.class,
                    () -> run(m, 1, low, new RecordingDenoiser(RecordingDenoiser.zeros(6)), null));
        }
    }
}
