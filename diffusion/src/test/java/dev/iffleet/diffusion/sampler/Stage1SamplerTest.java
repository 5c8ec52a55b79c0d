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
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Stage1SamplerTest {

    private static final int[] STEPS = {999, 500, 0};

    private static NDArray run(NDManager m, long seed, float g, int[] steps, Denoiser unet, StepListener l) {
        NDArray text = m.ones(new Shape(2, 77, 8));
        NDArray neg = m.zeros(new Shape(2, 77, 8));
        return Stage1Sampler.sample(m, text, neg, steps, g, 8, 6, new NoiseSource(seed), unet, l);
    }

    @Test
    void outputHasBatchThreeChannelsAndRequestedSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = run(m, 1, 7f, STEPS, new RecordingDenoiser(RecordingDenoiser.zeros(6)), null);
            assertEquals(new Shape(2, 3, 8, 6), x.getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            assertSame(m, x.getManager());
        }
    }

    @Test
    void unetReceivesDoubledSampleInt64TimestepsAndUncondThenCondEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            run(m, 1, 7f, STEPS, unet, null);
            assertEquals(3, unet.calls.size());
            for (int i = 0; i < STEPS.length; i++) {
                List<RecordingDenoiser.Seen> in = unet.calls.get(i);
                assertEquals(3, in.size());
                assertEquals(new Shape(4, 3, 8, 6), in.get(0).shape());
                assertEquals(DataType.FLOAT32, in.get(0).type());
                float[] sample = in.get(0).floats();
                int half = sample.length / 2;
                assertArrayEquals(Arrays.copyOfRange(sample, 0, half), Arrays.copyOfRange(sample, half, 2 * half));
                assertEquals(new Shape(4), in.get(1).shape());
                assertEquals(DataType.INT64, in.get(1).type());
                long t = STEPS[i];
                assertArrayEquals(new long[] {t, t, t, t}, in.get(1).longs());
                assertEquals(new Shape(4, 77, 8), in.get(2).shape());
                assertEquals(DataType.FLOAT32, in.get(2).type());
                float[] hidden = in.get(2).floats();
                int perSample = 77 * 8;
                assertEquals(0f, hidden[0]);
                assertEquals(0f, hidden[2 * perSample - 1]);
                assertEquals(1f, hidden[2 * perSample]);
                assertEquals(1f, hidden[4 * perSample - 1]);
            }
        }
    }

    @Test
    void firstStepSampleIsTheSeededInitialNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            run(m, 11, 7f, STEPS, unet, null);
            float[] expected = new NoiseSource(11).gaussian(m, new Shape(2, 3, 8, 6)).toFloatArray();
            float[] sample = unet.calls.get(0).get(0).floats();
            assertArrayEquals(expected, Arrays.copyOfRange(sample, 0, expected.length));
        }
    }

    @Test
    void sameSeedGivesIdenticalOutputAndAnotherSeedDiffers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 0.1f, 0.3f, 0.2f));
            float[] a = run(m, 5, 4f, STEPS, unet, null).toFloatArray();
            float[] b = run(m, 5, 4f, STEPS, unet, null).toFloatArray();
            float[] c = run(m, 6, 4f, STEPS, unet, null).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void listenerSeesEveryStepOneBasedWithTheTotal() {
        try (NDManager m = NDManager.newBaseManager()) {
            ProgressRecorder l = new ProgressRecorder();
            run(m, 1, 7f, STEPS, new RecordingDenoiser(RecordingDenoiser.zeros(6)), l);
            assertEquals(List.of(1, 2, 3), l.steps);
            assertEquals(List.of(3, 3, 3), l.totals);
        }
    }

    @Test
    void listenerExceptionAbortsSamplingAndLeavesInputsOpen() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray text = m.ones(new Shape(1, 77, 8));
            NDArray neg = m.zeros(new Shape(1, 77, 8));
            assertThrows(IllegalStateException.class, () -> Stage1Sampler.sample(m, text, neg, STEPS, 7f, 4, 4,
                    new NoiseSource(1), unet, new ProgressRecorder(2)));
            assertEquals(2, unet.calls.size());
            assertFalse(text.isReleased());
            assertSame(m, text.getManager());
            assertSame(m, neg.getManager());
        }
    }

    @Test
    void singleFinalStepMatchesHandComputedGuidedThresholdedX0() {
        for (float g : new float[] {1.5f, 3f}) {
            try (NDManager m = NDManager.newBaseManager()) {
                // uncond eps = 20, cond eps = 60: guided eps = 20 + g * 40; the variance channel is unused at t=0.
                Denoiser unet = new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 20f, 60f, 0.5f));
                NDArray x = run(m, 9, g, new int[] {0}, unet, null);
                float[] x0 = new NoiseSource(9).gaussian(m, new Shape(2, 3, 8, 6)).toFloatArray();
                float eps = 20f + g * 40f;
                float abar = NoiseSchedules.squaredcosCapV2()[0];
                for (int i = 0; i < x0.length; i++) {
                    x0[i] = (float) ((x0[i] - Math.sqrt(1 - abar) * eps) / Math.sqrt(abar));
                }
                // At the last step alpha_bar_prev = 1, so x_{t-1} is the thresholded x0 itself.
                assertArrayEquals(threshold(x0, 2, 0.95f, 1.5f), x.toFloatArray(), 1e-5f, "g=" + g);
            }
        }
    }

    @Test
    void guidanceOfOneOrLessRunsTheConditionalBatchAloneAndEqualsTheGuidedResult() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A UNet blind to the text: guided (g = 3) and unguided runs must then give the same samples.
            RecordingDenoiser guided = new RecordingDenoiser(RecordingDenoiser.affine(0.3f, 0f, 0f, 0.2f));
            float[] reference = run(m, 5, 3f, STEPS, guided, null).toFloatArray();
            for (float g : new float[] {0f, 1f}) {
                RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.affine(0.3f, 0f, 0f, 0.2f));
                assertArrayEquals(reference, run(m, 5, g, STEPS, unet, null).toFloatArray(), 1e-6f, "g=" + g);
                for (List<RecordingDenoiser.Seen> call : unet.calls) {
                    assertEquals(new Shape(2, 3, 8, 6), call.get(0).shape(), "sample: the batch alone");
                    assertEquals(new Shape(2), call.get(1).shape(), "timesteps");
                    // The conditional embeddings only (ones), never the negative ones (zeros).
                    assertEquals(new Shape(2, 77, 8), call.get(2).shape(), "hidden");
                    assertEquals(1f, call.get(2).floats()[0], "hidden holds the text embeddings");
                }
            }
            assertEquals(new Shape(4, 3, 8, 6), guided.calls.get(0).get(0).shape(), "g > 1 doubles the batch");
        }
    }

    /** Dynamic thresholding by hand: per sample, s = clamp(linear 0.95-quantile of |x|, 1, max). */
    static float[] threshold(float[] x, int batch, float ratio, float max) {
        int n = x.length / batch;
        float[] out = new float[x.length];
        for (int b = 0; b < batch; b++) {
            double[] abs = new double[n];
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(x[b * n + i]);
            }
            Arrays.sort(abs);
            double rank = ratio * (n - 1);
            int lo = (int) Math.floor(rank);
            int hi = (int) Math.ceil(rank);
            double q = abs[lo] + (abs[hi] - abs[lo]) * (rank - lo);
            double s = Math.min(Math.max(q, 1.0), max);
            for (int i = 0; i < n; i++) {
                out[b * n + i] = (float) (Math.min(Math.max(x[b * n + i], -s), s) / s);
            }
        }
        return out;
    }
}
