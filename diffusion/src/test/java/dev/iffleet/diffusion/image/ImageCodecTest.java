package dev.iffleet.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    @Test
    void roundTripKeepsValuesWithinHalfAQuantisationStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = new NoiseSource(3).gaussian(m, new Shape(1, 3, 6, 5)).mul(0.5f).clip(-1f, 1f);
            NDArray back = ImageCodec.fromPng(m, ImageCodec.toPng(img));
            assertEquals(new Shape(1, 3, 6, 5), back.getShape());
            assertArrayEquals(img.toFloatArray(), back.toFloatArray(), 1f / 255f + 1e-6f);
            // A second round trip is exact: decoded values are already on the 8-bit grid.
            assertArrayEquals(back.toFloatArray(), ImageCodec.fromPng(m, ImageCodec.toPng(back)).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void toPngClampsAndMapsMinusOneToZeroAndOneTo255InRgbOrder() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            // (3, 1, 2): pixel 0 = (r=-1, g=0, b=1), pixel 1 = (r=5, g=-5, b=0.5)
            NDArray img = m.create(new float[] {-1f, 5f, 0f, -5f, 1f, 0.5f}, new Shape(3, 1, 2));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(ImageCodec.toPng(img)));
            assertEquals(2, png.getWidth());
            assertEquals(1, png.getHeight());
            assertEquals((0 << 16) | (128 << 8) | 255, png.getRGB(0, 0) & 0xffffff);
            assertEquals((255 << 16) | (0 << 8) | 191, png.getRGB(1, 0) & 0xffffff);
        }
    }

    @Test
    void fromPngMapsEveryByteAsTheIfPipelinesAndReadsGreyAsStored() throws IOException {
        BufferedImage grey = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int v = 0; v < 256; v++) {
            grey.getRaster().setSample(v, 0, 0, v);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ImageCodec.fromPng(m, png.toByteArray());
            assertEquals(new Shape(1, 3, 1, 256), x.getShape());
            float[] expected = new float[3 * 256];
            for (int i = 0; i < expected.length; i++) {
                // numpy: np.array(img).astype(np.float32) / 127.5 - 1
                expected[i] = (i % 256) / 127.5f - 1f;
            }
            assertArrayEquals(expected, x.toFloatArray());
        }
    }

}
