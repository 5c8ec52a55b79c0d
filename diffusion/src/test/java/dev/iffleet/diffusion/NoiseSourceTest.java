package dev.iffleet.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
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
}
