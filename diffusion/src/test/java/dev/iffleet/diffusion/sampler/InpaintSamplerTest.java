package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import dev.iffleet.diffusion.schedule.Timesteps;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InpaintSamplerTest {

    private static final float[] INIT = {0.25f, -0.5f, 0.75f, 0.1f, -0.3f, 0.6f, -0.9f, 0.45f, 0.2f, -0.15f, 0.35f,
        -0.7f};
    /** 1x1x2x2: repaint pixels 0 and 3, keep pixels 1 and 2. */
    private static final float[] MASK = {1f, 0f, 0f, 1f};
    private static final Shape IMAGE = new Shape(1, 3, 2, 2);

    private static NDArray stage1(NDManager m, int[] ts, double strength, float g, float[] mask, long seed,
            Denoiser unet, StepListener l) {
        SampleStart start = SampleStart.inpaint(m.create(INIT, IMAGE), m.create(mask, new Shape(1, 1, 2, 2)),
                strength);
        return Stage1Sampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)), ts, g, start,
                new NoiseSource(seed), unet, l);
    }

    @Test
    void keptPixelsStayTheInitAndMaskedPixelsFollowTheSchedulerAtEveryStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            Function<NDList, NDArray> fake = RecordingDenoiser.affine(0.3f, 0.05f, 0.1f, 0.2f);
            RecordingDenoiser unet = new RecordingDenoiser(fake);
            int[] tail = Timesteps.tail(Timesteps.leading(10, 0), 0.5);
            float[] out = stage1(m, Timesteps.leading(10, 0), 0.5, 4f, MASK, 7, unet, null).toFloatArray();
            assertArrayEquals(new int[] {400, 300, 200, 100, 0}, tail);
            assertEquals(tail.length, unet.calls.size());

            NoiseSource replay = new NoiseSource(7);
            float[] noised = NoiseAugment.addNoise(m.create(INIT, IMAGE), replay.gaussian(m, IMAGE), 400,
                    NoiseSchedules.squaredcosCapV2()).toFloatArray();
            float[] expected = blend(INIT, noised);
            DdpmScheduler scheduler = DdpmScheduler.stage1(tail);
            for (int i = 0; i < tail.length; i++) {
                // Bitwise: the kept pixels of every sample the UNet sees are the init's own floats.
                assertArrayEquals(expected, Replay.sample(m, unet.calls.get(i)).toFloatArray(), "before step " + i);
                float[] prev = Replay.step(m, unet.calls.get(i), fake, 4f, scheduler, tail[i],
                        replay.gaussian(m, IMAGE)).prevSample().toFloatArray();
                expected = blend(INIT, prev);
                for (int p = 0; p < INIT.length; p++) {
                    if (MASK[p % 4] == 1f) {
                        assertNotEquals(INIT[p], expected[p], "masked pixel " + p + " moved at step " + i);
                    }
                }
            }
            assertArrayEquals(expected, out, "output");
        }
    }

    @Test
    void oneFinalStepIsHandComputed() {
        try (NDManager m = NDManager.newBaseManager()) {
            // eps: uncond 0.1, cond 0.2, guidance 2 -> 0.3; the variance channel is unused at t = 0.
            Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 0.1f, 0.2f, 0.5f));
            float[] out = stage1(m, new int[] {999, 0}, 0.5, 2f, MASK, 3, unet, null).toFloatArray();

            float[] n = new NoiseSource(3).gaussian(m, IMAGE).toFloatArray();
            double a = NoiseSchedules.squaredcosCapV2()[0];
            float[] x0 = new float[INIT.length];
            for (int i = 0; i < x0.length; i++) {
                // The start is the init where kept, the init noised to t = 0 where repainted.
                double x = MASK[i % 4] == 0f ? INIT[i] : Math.sqrt(a) * INIT[i] + Math.sqrt(1 - a) * n[i];
                x0[i] = (float) ((x - Math.sqrt(1 - a) * 0.3) / Math.sqrt(a));
            }
            // At t = 0 alpha_bar_prev = 1, so the step returns the thresholded x0 of the whole image.
            float[] stepped = Stage1SamplerTest.threshold(x0, 1, 0.95f, 1.5f);
            for (int i = 0; i < out.length; i++) {
                if (MASK[i % 4] == 0f) {
                    assertEquals(Float.floatToIntBits(INIT[i]), Float.floatToIntBits(out[i]), "kept " + i);
                } else {
                    assertEquals(stepped[i], out[i], 1e-5f, "repainted " + i);
                }
            }
        }
    }

    @Test
    void maskIsBinarisedAtOneHalf() {
        try (NDManager m = NDManager.newBaseManager()) {
            Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 0.1f, 0.2f, 0.5f));
            float[] out = stage1(m, new int[] {999, 0}, 0.5, 2f, new float[] {0.49f, 0.5f, 0.2f, 0.9f}, 3, unet,
                    null).toFloatArray();
            for (int c = 0; c < 3; c++) {
                assertEquals(INIT[4 * c], out[4 * c], 0f, "0.49 keeps");
                assertNotEquals(INIT[4 * c + 1], out[4 * c + 1], "0.5 repaints");
                assertEquals(INIT[4 * c + 2], out[4 * c + 2], 0f, "0.2 keeps");
                assertNotEquals(INIT[4 * c + 3], out[4 * c + 3], "0.9 repaints");
            }
        }
    }

    @Test
    void superResKeepsTheOriginalOutsideTheMaskAndConditionsOnTheNoisedUpscale() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape big = new Shape(1, 3, 2, 4);
            float[] original = new float[24];
            for (int i = 0; i < original.length; i++) {
                original[i] = (i % 7 - 3) / 4f + 0.01f;
            }
            float[] mask = {0f, 1f, 1f, 0f, 1f, 0f, 0f, 0f};
            NDArray low = m.arange(6f).reshape(1, 3, 1, 2).div(6f);
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.affine(0.2f, 0f, 0.05f, 0.1f));
            SampleStart start = SampleStart.inpaint(m.create(original, big), m.create(mask, new Shape(1, 1, 2, 4)),
                    1.0);
            float[] out = SuperResSampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)), low,
                    new int[] {999, 500, 0}, 4f, 250, start, new NoiseSource(5), unet, null).toFloatArray();

            NoiseSource replay = new NoiseSource(5);
            replay.gaussian(m, big);
            float[] cond = NoiseAugment.addNoise(Upsample.bilinearAlignCorners(low, 2, 4), replay.gaussian(m, big),
                    250, NoiseSchedules.squaredcosCapV2()).toFloatArray();
            for (int call = 0; call <= 3; call++) {
                float[] x = call < 3 ? Arrays.copyOfRange(unet.calls.get(call).get(0).floats(), 0, 24) : out;
                if (call < 3) {
                    assertArrayEquals(cond, Arrays.copyOfRange(unet.calls.get(call).get(0).floats(), 24, 48));
                }
                int moved = 0;
                for (int i = 0; i < 24; i++) {
                    if (mask[i % 8] == 0f) {
                        assertEquals(Float.floatToIntBits(original[i]), Float.floatToIntBits(x[i]), "kept " + i);
                    } else if (x[i] != original[i]) {
                        moved++;
                    }
                }
                assertEquals(9, moved, "repainted pixels differ from the original, call " + call);
            }
        }
    }

    /** diffusers' (1 - mask) * before + mask * after for the test's 1x3x2x2 images. */
    private static float[] blend(float[] before, float[] after) {
        float[] out = new float[before.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = MASK[i % 4] == 0f ? before[i] : after[i];
        }
        return out;
    }
}
