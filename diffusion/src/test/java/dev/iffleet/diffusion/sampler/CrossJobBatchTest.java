package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cross-job batches: jobs A (images 0, 1) and B (image 2) concatenated into one batch with per-image seeds give
 * every image exactly (bit for bit, CPU float32, per-row fake UNet) what it gives alone, and dropping images
 * mid-run (a cancelled job) leaves the others' trajectories unchanged, for all three samplers.
 */
class CrossJobBatchTest {

    private static final long SEED = 100;

    /** One sampler run over images from..to-1 of the fixture (each image's inputs depend on its index only). */
    @FunctionalInterface
    interface Sampler {
        NDArray run(NDManager m, int from, int to, NoiseSource noise, StepListener l);
    }

    record Case(String name, Sampler sampler, int steps) {}

    /** UNet calls made so far by the cases' fakes. */
    private static final AtomicInteger CALLS = new AtomicInteger();

    private static Denoiser counted(Function<NDList, NDArray> fake) {
        return in -> {
            CALLS.incrementAndGet();
            return fake.apply(in);
        };
    }

    private static NoiseSource seeds(int from, int to) {
        long[] s = new long[to - from];
        for (int i = 0; i < s.length; i++) {
            s[i] = SEED + from + i;
        }
        return NoiseSource.perImage(s);
    }

    private static SampleStart start(NDManager m, String mode, int from, int to) {
        return switch (mode) {
            case "noise" -> SampleStart.noise(4, 6);
            case "img2img" -> SampleStart.img2img(SamplerFixture.image(m, from, to, 3, 4, 6), 0.7);
            // One init image and mask for every image of the batch (broadcast rows are never sliced).
            case "inpaint-shared" -> SampleStart.inpaint(SamplerFixture.image(m, 7, 8, 3, 4, 6),
                    SamplerFixture.mask(m, 7, 8, 4, 6), 0.85);
            default -> SampleStart.inpaint(SamplerFixture.image(m, from, to, 3, 4, 6),
                    SamplerFixture.mask(m, from, to, 4, 6), 0.85);
        };
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (float g : new float[] {4f, 1f}) {
            for (String mode : new String[] {"noise", "img2img", "inpaint", "inpaint-shared"}) {
                int steps = switch (mode) {
                    case "noise" -> 6;
                    case "img2img" -> 4; // int(6 * 0.7)
                    default -> 5; // int(6 * 0.85)
                };
                out.add(new Case("stage1/" + mode + "/g" + g, (m, from, to, noise, l) -> Stage1Sampler.sample(m,
                        SamplerFixture.text(m, from, to), SamplerFixture.neg(m, from, to), SamplerFixture.STEPS, g,
                        start(m, mode, from, to), noise, counted(RowFake.ifUnet()), l), steps));
                out.add(new Case("sr/" + mode + "/g" + g, (m, from, to, noise, l) -> SuperResSampler.sample(m,
                        SamplerFixture.text(m, from, to), SamplerFixture.neg(m, from, to),
                        SamplerFixture.image(m, from, to, 3, 2, 3), SamplerFixture.STEPS, g, 250,
                        start(m, mode, from, to), noise, counted(RowFake.ifUnet()), l), steps));
            }
            float x4g = g > 1 ? 9f : 1f;
            out.add(new Case("upscale/g" + x4g, (m, from, to, noise, l) -> UpscaleSampler.sample(m,
                    SamplerFixture.text(m, from, to), SamplerFixture.neg(m, from, to),
                    SamplerFixture.image(m, from, to, 3, 3, 2), 5, x4g, 20, noise,
                    counted(RowFake.x4Unet()), SamplerFixture.vae(), 0.08333f, l), 5));
        }
        return out;
    }

    /** Drops the given original images right after step at; records previews with their rows. */
    static final class Dropper implements StepListener {
        final List<Integer> steps = new ArrayList<>();
        final List<int[]> rows = new ArrayList<>();
        final List<float[]> x0 = new ArrayList<>();
        private final int at;
        private final BitSet drop;
        private BitSet current;

        Dropper(int at, int... images) {
            this.at = at;
            this.drop = new BitSet();
            for (int i : images) {
                drop.set(i);
            }
        }

        @Override
        public void onStep(int stepIndex, int totalSteps) {
            steps.add(stepIndex);
            if (stepIndex == at) {
                current = (BitSet) drop.clone();
            }
        }

        @Override
        public BitSet dropped() {
            return current;
        }

        @Override
        public int previewEvery() {
            return 1;
        }

        @Override
        public void preview(int stepIndex, int totalSteps, NDArray x0, int[] rows) {
            this.rows.add(rows);
            this.x0.add(x0.toFloatArray());
        }
    }

    private static float[] rowsOf(float[] data, int batch, int... rows) {
        int per = data.length / batch;
        float[] out = new float[rows.length * per];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(data, rows[j] * per, out, j * per, per);
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aBatchOfJobsAAndBEqualsAAloneAndBAloneExactly() {
        for (Case c : cases()) {
            try (NDManager m = NDManager.newBaseManager()) {
                float[] both = c.sampler().run(m, 0, 3, seeds(0, 3), null).toFloatArray();
                float[] a = c.sampler().run(m, 0, 2, seeds(0, 2), null).toFloatArray();
                float[] b = c.sampler().run(m, 2, 3, seeds(2, 3), null).toFloatArray();
                assertArrayEquals(rowsOf(both, 3, 0, 1), a, c.name() + ": job A");
                assertArrayEquals(rowsOf(both, 3, 2), b, c.name() + ": job B");
            }
        }
    }

    @Test
    void droppingJobBOrOneImageOfAMidRunLeavesTheOthersAsAloneAndPreviewsNameTheirRows() {
        for (Case c : cases()) {
            for (int[] dropped : new int[][] {{2}, {1}}) {
                int at = c.steps() / 2;
                String what = c.name() + " dropping " + Arrays.toString(dropped) + " after step " + at;
                try (NDManager m = NDManager.newBaseManager()) {
                    Dropper l = new Dropper(at, dropped);
                    NDArray out = c.sampler().run(m, 0, 3, seeds(0, 3), l);
                    int[] kept = dropped[0] == 2 ? new int[] {0, 1} : new int[] {0, 2};
                    Dropper first = new Dropper(-1);
                    Dropper second = new Dropper(-1);
                    float[] alone0 = c.sampler().run(m, kept[0], kept[0] + 1, seeds(kept[0], kept[0] + 1), first)
                            .toFloatArray();
                    float[] alone1 = c.sampler().run(m, kept[1], kept[1] + 1, seeds(kept[1], kept[1] + 1), second)
                            .toFloatArray();
                    assertEquals(2, out.getShape().get(0), what);
                    assertArrayEquals(concat(alone0, alone1), out.toFloatArray(), what);
                    assertEquals(c.steps(), l.steps.size(), what);
                    for (int s = 0; s < l.rows.size(); s++) {
                        int[] expectedRows = s < at ? new int[] {0, 1, 2} : kept;
                        assertArrayEquals(expectedRows, l.rows.get(s), what + " preview rows of step " + (s + 1));
                        float[] x0 = l.x0.get(s);
                        int[] pos = s < at ? kept : new int[] {0, 1};
                        assertArrayEquals(concat(first.x0.get(s), second.x0.get(s)), rowsOf(x0,
                                expectedRows.length, pos), what + " preview x0 of step " + (s + 1));
                    }
                    assertEquals(c.name().startsWith("upscale") ? 0 : c.steps(), l.rows.size(), what);
                }
            }
        }
    }

    @Test
    void droppingAfterTheLastStepKeepsTheImageOutOfTheResultAndTheDecode() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Shape> decoded = new ArrayList<>();
            Denoiser vae = in -> {
                decoded.add(in.get(0).getShape());
                return SamplerFixture.vae().predict(in);
            };
            NDArray out = UpscaleSampler.sample(m, SamplerFixture.text(m, 0, 3), SamplerFixture.neg(m, 0, 3),
                    SamplerFixture.image(m, 0, 3, 3, 3, 2), 3, 9f, 20, seeds(0, 3),
                    counted(RowFake.x4Unet()), vae, 0.08333f, new Dropper(3, 0));
            assertEquals(List.of(new Shape(2, 4, 3, 2)), decoded);
            assertEquals(new Shape(2, 3, 12, 8), out.getShape());
            NDArray s1 = Stage1Sampler.sample(m, SamplerFixture.text(m, 0, 3), SamplerFixture.neg(m, 0, 3),
                    SamplerFixture.STEPS, 4f, 4, 6, seeds(0, 3), counted(RowFake.ifUnet()),
                    new Dropper(6, 1));
            assertEquals(new Shape(2, 3, 4, 6), s1.getShape());
        }
    }

    @Test
    void droppingEveryImageThrowsWithoutFurtherModelCallsAndLeavesOnlyTheCallersArrays() {
        for (Case c : cases()) {
            for (int at : new int[] {1, 3}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Dropper l = new Dropper(at, 0, 1, 2);
                    int before = CALLS.get();
                    AllImagesDroppedException e = assertThrows(AllImagesDroppedException.class,
                            () -> c.sampler().run(m, 0, 3, seeds(0, 3), l), c.name());
                    assertEquals(at, e.stepIndex(), c.name());
                    assertEquals(at, l.steps.size(), c.name() + ": no step after the drop");
                    assertEquals(at, CALLS.get() - before, c.name() + ": no UNet call after the drop");
                    // The run's scope is closed: none of its 0-d coefficient arrays is left in the caller's.
                    for (NDArray a : m.getManagedArrays()) {
                        assertFalse(a.getShape().dimension() == 0, c.name() + ": leaked " + a);
                    }
                }
            }
        }
    }

    @Test
    void droppingAnImageOutsideTheBatchIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> cases().get(0).sampler().run(m, 0, 3, seeds(0, 3),
                    new Dropper(1, 3)));
        }
    }

    @Test
    void aSingleStreamSourceKeepsTheImagesOfTheUndroppedBatch() {
        for (Case c : cases()) {
            try (NDManager m = NDManager.newBaseManager()) {
                float[] all = c.sampler().run(m, 0, 3, new NoiseSource(5), null).toFloatArray();
                NDArray out = c.sampler().run(m, 0, 3, new NoiseSource(5), new Dropper(2, 1));
                assertArrayEquals(rowsOf(all, 3, 0, 2), out.toFloatArray(), c.name());
            }
        }
    }
}
