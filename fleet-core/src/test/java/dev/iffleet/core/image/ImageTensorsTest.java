package dev.iffleet.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    @Test
    void imageBecomesChwInMinusOneToOne() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x00FF80);
        image.setRGB(1, 0, 0xFF0000);
        ImageTensor t = ImageTensors.toSignedChw(image);
        assertEquals(3, t.channels());
        assertEquals(1, t.height());
        assertEquals(2, t.width());
        float mid = 128 / 127.5f - 1f; // 0.0039216
        assertArrayEquals(new float[] {-1f, 1f, 1f, -1f, mid, -1f}, t.data());
        assertEquals(mid, t.get(2, 0, 0));
    }

    @Test
    void maskThresholdsLumaAtOneHalf() {
        BufferedImage mask = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        mask.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {127, 128, 255});
        assertArrayEquals(new float[] {0f, 1f, 1f}, ImageTensors.binaryMask(mask, 3, 1).data());
        // colour masks go through Pillow's luma: (200, 50, 30) → 93, (60, 200, 100) → 147
        BufferedImage colour = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(0, 0, 0xC8321E);
        colour.setRGB(1, 0, 0x3CC864);
        assertArrayEquals(new float[] {0f, 1f}, ImageTensors.binaryMask(colour, 2, 1).data());
    }

    @Test
    void maskOfAnotherSizeIsResizedLikePillowThenThresholded() {
        BufferedImage disc = new InputImages(ImageLimits.DEFAULT).decodeMask(Fixtures.bytes("mask_disc.png"));
        ImageTensor t = ImageTensors.binaryMask(disc, 20, 15);
        assertEquals(1, t.channels());
        assertEquals(15, t.height());
        assertEquals(20, t.width());
        int[] pil = Fixtures.grayPlane("mask_disc_pil_20x15.png");
        float[] expected = new float[pil.length];
        int ones = 0;
        for (int i = 0; i < pil.length; i++) {
            expected[i] = pil[i] / 255f >= 0.5f ? 1f : 0f;
            ones += (int) expected[i];
        }
        assertEquals(81, ones); // Pillow's count, a disc of radius 5
        assertArrayEquals(expected, t.data());
    }

    @Test
    void resizesRgbChannelByChannelAsPillow() {
        int[] noise = Fixtures.grayPlane("noise.png");
        BufferedImage rgb = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < noise.length; i++) {
            // red = noise, green = inverted noise, blue = constant
            rgb.setRGB(i % 37, i / 37, (noise[i] << 16) | ((255 - noise[i]) << 8) | 77);
        }
        BufferedImage small = ImageTensors.resize(rgb, 16, 10);
        int[] pil = Fixtures.grayPlane("noise_pil_16x10.png");
        for (int i = 0; i < pil.length; i++) {
            int p = small.getRGB(i % 16, i / 16);
            assertEquals(pil[i], (p >> 16) & 0xFF, "red at " + i);
            assertEquals(77, p & 0xFF, "blue at " + i);
        }
    }
}
