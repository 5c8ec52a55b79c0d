package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UpscaleSamplerTest {

    private static final float VAE_SCALE = 0.08333f;

    /** Fake VAE: first three latent channels, bilinearly enlarged x4, times 10 (so clamping shows). */
    private static final Function<NDList, NDArray> VAE = in -> {
        NDArray z = in.get(0);
        Shape s = z.getShape();
        return Upsample.bilinearAlignCorners(z.get(":, 0:3"), (int) s.get(2) * 4, (int) s.get(3) * 4).mul(10f);
    };

    private static NDArray lowRes(NDManager m, int batch) {
        return m.arange(batch * 48f).reshape(batch, 3, 4, 4).div(batch * 24f).sub(1f);
    }

    private static NDArray run(NDManager m, long seed, NDArray low, int steps, float g, Denoiser unet, Denoiser vae,
            StepListener l) {
        long b = low.getShape().get(0);
        NDArray text = m.ones(new Shape(b, 77, 16));
        NDArray neg = m.zeros(new Shape(b, 77, 16));
        return UpscaleSampler.sample(m, text, neg, low, steps, g, 20, new NoiseSource(seed), unet, vae, VAE_SCALE, l);
    }

    @Test
    void outputIsFourTimesLargerAndClampedToUnitRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = run(m, 1, lowRes(m, 2), 3, 9f, new RecordingDenoiser(RecordingDenoiser.zeros(4)),
                    new RecordingDenoiser(VAE), null);
            assertEquals(new Shape(2, 3, 16, 16), x.getShape());
            assertSame(m, x.getManager());
            assertTrue(x.max().getFloat() <= 1f && x.min().getFloat() >= -1f);
            assertEquals(1f, x.abs().max().getFloat());
        }
    }

    @Test
    void unetReceivesLatentsAndNoisedImageOnSevenChannelsWithLeadingOffsetOneTimesteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(4));
            NDArray low = lowRes(m, 2);
            run(m, 4, low, 5, 9f, unet, new RecordingDenoiser(VAE), null);
            long[] expectedT = {801, 601, 401, 201, 1};
            assertEquals(5, unet.calls.size());

            NoiseSource noise = new NoiseSource(4);
            float abar = NoiseSchedules.scaledLinear()[20];
            float[] image = low.mul((float) Math.sqrt(abar))
                    .add(noise.gaussian(m, new Shape(2, 3, 4, 4)).mul((float) Math.sqrt(1 - abar))).toFloatArray();
            float[] latents = noise.gaussian(m, new Shape(2, 4, 4, 4)).toFloatArray();
            for (int i = 0; i < 5; i++) {
                List<RecordingDenoiser.Seen> in = unet.calls.get(i);
                assertEquals(4, in.size());
                assertEquals(new Shape(4, 7, 4, 4), in.get(0).shape());
                assertEquals(DataType.FLOAT32, in.get(0).type());
                float[] s = in.get(0).floats();
                int per = 7 * 16;
                for (int n = 0; n < 4; n++) {
                    int src = n % 2;
                    assertArrayEquals(Arrays.copyOfRange(image, src * 48, src * 48 + 48),
                            Arrays.copyOfRange(s, n * per + 64, n * per + 112), 1e-6f, "image of row " + n);
                    if (i == 0) {
                        assertArrayEquals(Arrays.copyOfRange(latents, src * 64, src * 64 + 64),
                                Arrays.copyOfRange(s, n * per, n * per + 64), "latents of row " + n);
                    }
                }
                long t = expectedT[i];
                assertEquals(DataType.INT64, in.get(1).type());
                assertArrayEquals(new long[] {t, t, t, t}, in.get(1).longs());
                assertEquals(new Shape(4, 77, 16), in.get(2).shape());
                assertEquals(0f, in.get(2).floats()[2 * 77 * 16 - 1]);
                assertEquals(1f, in.get(2).floats()[2 * 77 * 16]);
                assertEquals(DataType.INT64, in.get(3).type());
                assertArrayEquals(new long[] {20, 20, 20, 20}, in.get(3).longs());
            }
        }
    }

    @Test
    void singleStepDecodesHandComputedDdimLatentsDividedByVaeScale() {
        for (float g : new float[] {0f, 1f, 3f}) {
            try (NDManager m = NDManager.newBaseManager()) {
                // v_uncond = 0, v_cond = 1, so the guided v-prediction is g everywhere; for g <= 1 the UNet runs
                // the conditional batch alone (a one-image batch is its "first half"), answering v = 1.
                Denoiser unet = new RecordingDenoiser(g > 1f ? RecordingDenoiser.branches(4, 4, 0f, 1f, 0f)
                        : RecordingDenoiser.branches(4, 4, 1f, 1f, 0f));
                float v = g > 1f ? g : 1f;
                RecordingDenoiser vae = new RecordingDenoiser(VAE);
                run(m, 8, lowRes(m, 1), 1, g, unet, vae, null);

                NoiseSource noise = new NoiseSource(8);
                noise.gaussian(m, new Shape(1, 3, 4, 4));
                float[] x = noise.gaussian(m, new Shape(1, 4, 4, 4)).toFloatArray();
                // One step at t = 1 goes to prev_t = -999, i.e. the final alpha alphas_cumprod[0].
                float[] ac = NoiseSchedules.scaledLinear();
                double a = ac[1];
                double aPrev = ac[0];
                float[] expected = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    double x0 = Math.sqrt(a) * x[i] - Math.sqrt(1 - a) * v;
                    double eps = Math.sqrt(a) * v + Math.sqrt(1 - a) * x[i];
                    expected[i] = (float) ((Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps) / VAE_SCALE);
                }
                assertEquals(new Shape(1, 4, 4, 4), vae.calls.get(0).get(0).shape());
                assertArrayEquals(expected, vae.calls.get(0).get(0).floats(), 1e-4f, "g=" + g);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalOutputAndAnotherSeedDiffers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(4, 4, 0.01f, 0.02f, 0f));
            Denoiser vae = in -> VAE.apply(in).div(100f);
            float[] a = run(m, 30, lowRes(m, 1), 4, 5f, unet, vae, null).toFloatArray();
            float[] b = run(m, 30, lowRes(m, 1), 4, 5f, unet, vae, null).toFloatArray();
            float[] c = run(m, 31, lowRes(m, 1), 4, 5f, unet, vae, null).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void listenerSeesEveryStepAndItsExceptionAbortsBeforeDecoding() {
        try (NDManager m = NDManager.newBaseManager()) {
            ProgressRecorder all = new ProgressRecorder();
            run(m, 1, lowRes(m, 1), 3, 9f, new RecordingDenoiser(RecordingDenoiser.zeros(4)),
                    new RecordingDenoiser(VAE), all);
            assertEquals(List.of(1, 2, 3), all.steps);
            assertEquals(List.of(3, 3, 3), all.totals);

            RecordingDenoiser vae = new RecordingDenoiser(VAE);
            NDArray low = lowRes(m, 1);
            assertThrows(IllegalStateException.class, () -> run(m, 1, low, 3, 9f,
                    new RecordingDenoiser(RecordingDenoiser.zeros(4)), vae, new ProgressRecorder(3)));
            assertEquals(0, vae.calls.size());
            assertFalse(low.isReleased());
            assertSame(m, low.getManager());
        }
    }
}
