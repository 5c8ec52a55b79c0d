package dev.iffleet.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NoiseSourceTest {

    @Test
    void sameSeedGivesSameNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 5, 5);
            NoiseSource a = new NoiseSource(42);
            NoiseSource b = new NoiseSource(42);
            assertArrayEquals(a.gaussian(m, shape).toFloatArray(), b.gaussian(m, shape).toFloatArray());
            assertArrayEquals(a.gaussian(m, shape).toFloatArray(), b.gaussian(m, shape).toFloatArray());
        }
    }

    @Test
    void differentSeedsAndSuccessiveDrawsDiffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 3, 4, 4);
            NoiseSource a = new NoiseSource(1);
            float[] first = a.gaussian(m, shape).toFloatArray();
            float[] second = a.gaussian(m, shape).toFloatArray();
            float[] other = new NoiseSource(2).gaussian(m, shape).toFloatArray();
            assertFalse(Arrays.equals(first, second));
            assertFalse(Arrays.equals(first, other));
        }
    }

    @Test
    void noiseIsFloat32StandardNormalOfTheRequestedShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray n = new NoiseSource(7).gaussian(m, new Shape(1, 4, 100, 100));
            assertEquals(new Shape(1, 4, 100, 100), n.getShape());
            assertEquals(DataType.FLOAT32, n.getDataType());
            assertEquals(0.0, n.mean().getFloat(), 0.03);
            assertEquals(1.0, n.pow(2).mean().getFloat(), 0.03);
        }
    }

    @Test
    void perImageDrawsEachImageFromItsOwnSeedAcrossSuccessiveCalls() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] seeds = {5, 9, 13};
            NoiseSource batch = NoiseSource.perImage(seeds);
            // Odd per-image size (3 * 3 * 1 = 9), so a Box–Muller spare crosses draw boundaries.
            float[] first = batch.gaussian(m, new Shape(3, 3, 3, 1)).toFloatArray();
            float[] second = batch.gaussian(m, new Shape(3, 2, 2)).toFloatArray();
            for (int i = 0; i < seeds.length; i++) {
                NoiseSource single = new NoiseSource(seeds[i]);
                assertArrayEquals(single.gaussian(m, new Shape(1, 3, 3, 1)).toFloatArray(),
                        Arrays.copyOfRange(first, 9 * i, 9 * i + 9), "first draw, image " + i);
                assertArrayEquals(single.gaussian(m, new Shape(1, 2, 2)).toFloatArray(),
                        Arrays.copyOfRange(second, 4 * i, 4 * i + 4), "second draw, image " + i);
            }
            assertEquals(OptionalInt.of(3), batch.images());
            assertEquals(OptionalInt.empty(), new NoiseSource(5).images());
        }
    }

    @Test
    void singleStreamBatchDiffersFromPerImageStreams() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] whole = new NoiseSource(5).gaussian(m, new Shape(2, 4)).toFloatArray();
            float[] split = NoiseSource.perImage(5, 5).gaussian(m, new Shape(2, 4)).toFloatArray();
            assertArrayEquals(Arrays.copyOfRange(whole, 0, 4), Arrays.copyOfRange(split, 0, 4));
            assertArrayEquals(Arrays.copyOfRange(split, 0, 4), Arrays.copyOfRange(split, 4, 8));
            assertFalse(Arrays.equals(whole, split));
        }
    }

    @Test
    void perImageRejectsADrawOfAnotherBatchSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSource noise = NoiseSource.perImage(1, 2);
            assertThrows(IllegalArgumentException.class, () -> noise.gaussian(m, new Shape(3, 3, 2, 2)));
            assertThrows(IllegalArgumentException.class, NoiseSource::perImage);
        }
    }

    @Test
    void retainedImagesGoOnWithTheirOwnStreamsAndHostValuesMatchTheArray() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape three = new Shape(3, 2, 2, 2);
            NoiseSource batch = NoiseSource.perImage(7, 8, 9);
            assertArrayEquals(NoiseSource.perImage(7, 8, 9).gaussian(m, three).toFloatArray(),
                    batch.gaussianValues(three));
            NoiseSource kept = batch.retain(2, 0);
            assertEquals(OptionalInt.of(2), kept.images());
            float[] next = kept.gaussianValues(new Shape(2, 2, 2, 2));
            // Image 9 and image 7 alone, each at its second draw.
            for (int j = 0; j < 2; j++) {
                NoiseSource alone = new NoiseSource(j == 0 ? 9 : 7);
                alone.gaussianValues(new Shape(1, 2, 2, 2));
                assertArrayEquals(alone.gaussianValues(new Shape(1, 2, 2, 2)),
                        Arrays.copyOfRange(next, j * 8, j * 8 + 8), "kept image " + j);
            }
            assertThrows(IllegalArgumentException.class, () -> kept.retain(0, 0));
            assertThrows(IllegalArgumentException.class, () -> kept.retain(2));
            assertThrows(IllegalArgumentException.class, () -> kept.retain());
            assertThrows(IllegalStateException.class, () -> new NoiseSource(1).retain(0));
        }
    }
}
