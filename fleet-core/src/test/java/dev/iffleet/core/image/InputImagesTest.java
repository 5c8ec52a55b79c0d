package dev.iffleet.core.image;

import static dev.iffleet.core.image.Fixtures.bytes;
import static dev.iffleet.core.image.Fixtures.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class InputImagesTest {

    private final InputImages images = new InputImages(ImageLimits.DEFAULT);

    @Test
    void decodesLosslessWebpExactlyWithTransparencyOnWhite() {
        BufferedImage image = images.decode(bytes("lossless.webp"));
        assertEquals(8, image.getWidth());
        assertEquals(6, image.getHeight());
        assertArrayEquals(new int[] {255, 0, 0}, rgb(image, 0, 0));
        assertArrayEquals(new int[] {255, 255, 255}, rgb(image, 7, 5));
    }

    @Test
    void decodesLossyWebpApproximately() {
        BufferedImage image = images.decode(bytes("lossy.webp"));
        assertEquals(16, image.getWidth());
        assertClose(new int[] {40, 160, 90}, rgb(image, 8, 8), 3);
    }

    @Test
    void compositesPngAlphaOverWhite() {
        BufferedImage image = images.decode(bytes("alpha.png"));
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        assertArrayEquals(new int[] {255, 0, 0}, rgb(image, 0, 0));
        assertArrayEquals(new int[] {255, 255, 255}, rgb(image, 7, 0));
        // black at alpha 128: (0·128 + 255·127 + 127) / 255
        assertArrayEquals(new int[] {127, 127, 127}, rgb(images.decode(bytes("half_alpha.png")), 1, 1));
    }

    @Test
    void keepsGreyValuesOfGreyPngs() {
        for (String name : new String[] {"gray.png", "gray_alpha.png", "gray16.png"}) {
            BufferedImage image = images.decode(bytes(name));
            assertEquals(5, image.getWidth(), name);
            assertArrayEquals(new int[] {100, 100, 100}, rgb(image, 4, 2), name);
        }
    }

    @Test
    void decodesPalettePngToPillowsColours() {
        BufferedImage image = images.decode(bytes("palette.png"));
        assertArrayEquals(new int[] {0, 204, 51}, rgb(image, 0, 0));
        assertArrayEquals(new int[] {255, 255, 0}, rgb(image, 7, 5));
    }

    @Test
    void decodesRgbJpeg() {
        assertClose(new int[] {200, 30, 30}, rgb(images.decode(bytes("red.jpg")), 8, 8), 3);
    }

    @Test
    void decodesCmykJpegAsCyan() {
        int[] cyan = rgb(images.decode(bytes("cyan_cmyk.jpg")), 8, 8);
        assertTrue(cyan[0] < 80 && cyan[1] > 150 && cyan[2] > 150, () -> java.util.Arrays.toString(cyan));
    }

    @Test
    void decodesMaskAsPillowLumaIgnoringAlpha() {
        BufferedImage mask = images.decodeMask(bytes("alpha.png"));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
        // Pillow: L of (255, 0, 0) is 76; the transparent black half stays black (0), not white
        assertEquals(76, mask.getRaster().getSample(0, 0, 0));
        assertEquals(0, mask.getRaster().getSample(7, 0, 0));
        assertEquals(100, images.decodeMask(bytes("gray.png")).getRaster().getSample(2, 1, 0));
    }

    @Test
    void decodesBase64AndDataUrls() {
        String base64 = java.util.Base64.getEncoder().encodeToString(bytes("gray.png"));
        assertArrayEquals(new int[] {100, 100, 100}, rgb(images.decodeBase64(base64), 0, 0));
        BufferedImage fromUrl = images.decodeBase64("data:image/png;base64," + base64);
        assertArrayEquals(new int[] {100, 100, 100}, rgb(fromUrl, 0, 0));
        assertEquals(100, images.decodeMaskBase64(base64).getRaster().getSample(0, 0, 0));
    }

    private static void assertClose(int[] expected, int[] actual, int tolerance) {
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance, "channel " + i + ": expected "
                    + expected[i] + " ± " + tolerance + ", got " + actual[i]);
        }
    }
}
