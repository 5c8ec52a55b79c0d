package dev.iffleet.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import org.junit.jupiter.api.Test;

class UpsampleTest {

    private static final JsonNode GOLDEN = Golden.load("upsample.json");

    @Test
    void squareUpscaleMatchesTorchAlignCorners() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = Upsample.bilinearAlignCorners(Golden.array(m, GOLDEN.get("input")), 16, 16);
            Golden.assertClose(GOLDEN.get("output_16"), out, "16x16");
        }
    }

    @Test
    void nonSquareUpscaleMatchesTorchAlignCorners() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = Upsample.bilinearAlignCorners(Golden.array(m, GOLDEN.get("input")), 10, 12);
            Golden.assertClose(GOLDEN.get("output_10x12"), out, "10x12");
        }
    }

    @Test
    void sameSizeIsIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(24f).reshape(1, 2, 3, 4);
            assertArrayEquals(x.toFloatArray(), Upsample.bilinearAlignCorners(x, 3, 4).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void singlePixelOutputTakesTheTopLeftCorner() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
            NDArray out = Upsample.bilinearAlignCorners(x, 1, 1);
            assertArrayEquals(new float[] {0f}, out.toFloatArray(), 1e-6f);
            assertArrayEquals(new long[] {1, 1, 1, 1}, out.getShape().getShape());
            assertArrayEquals(new Shape(1, 1, 1, 1).getShape(), out.getShape().getShape());
        }
    }
}
