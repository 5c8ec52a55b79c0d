package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PerImageSeedTest {

    private static final long[] SEEDS = {11, 22, 33};
    private static final int[] STEPS = {999, 600, 300, 0};

    /** Text embeddings whose image i is filled with i + 1, so each image's prompt differs too. */
    private static NDArray prompts(NDManager m, int from, int to) {
        return m.arange((float) from, (float) to).add(1f).reshape(to - from, 1, 1).repeat(1, 77).repeat(2, 8);
    }

    private static NDArray run(NDManager m, int from, int to, Function<NDArray, SampleStart> start,
            NoiseSource noise) {
        return Stage1Sampler.sample(m, prompts(m, from, to), m.zeros(new Shape(to - from, 77, 8)), STEPS, 5f,
                start.apply(m.zeros(new Shape(1, 3, 4, 6)).add(0.3f)), noise,
                new RecordingDenoiser(RecordingDenoiser.affine(0.3f, 0.05f, 0.1f, 0.2f)), null);
    }

    @Test
    void imageIOfABatchEqualsAOneImageRunWithSeedI() {
        for (Function<NDArray, SampleStart> start : java.util.List.<Function<NDArray, SampleStart>>of(
                init -> SampleStart.noise(4, 6), init -> SampleStart.img2img(init, 0.75))) {
            try (NDManager m = NDManager.newBaseManager()) {
                float[] batch = run(m, 0, 3, start, NoiseSource.perImage(SEEDS)).toFloatArray();
                int per = 3 * 4 * 6;
                for (int i = 0; i < SEEDS.length; i++) {
                    float[] single = run(m, i, i + 1, start, new NoiseSource(SEEDS[i])).toFloatArray();
                    assertArrayEquals(single, Arrays.copyOfRange(batch, i * per, (i + 1) * per), "image " + i);
                }
                // A single stream for the whole batch gives other images: the per-image streams are what matter.
                float[] shared = run(m, 0, 3, start, new NoiseSource(SEEDS[0])).toFloatArray();
                assertFalse(Arrays.equals(Arrays.copyOfRange(batch, per, 2 * per),
                        Arrays.copyOfRange(shared, per, 2 * per)));
            }
        }
    }

    @Test
    void seedCountMustMatchTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class,
                    () -> run(m, 0, 3, init -> SampleStart.noise(4, 6), NoiseSource.perImage(1, 2)));
        }
    }
}
