package dev.iffleet.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class InitImagesTest {

    @Test
    void imageIsResizedWithPillowAndScaledToMinusOneOneAsNumpyDoes() {
        int count = 0;
        for (JsonNode c : PilReference.JSON.get("images")) {
            BufferedImage img = PilReference.image(c.get("width").asInt(), c.get("height").asInt(), 3,
                    c.get("seed").asInt(), BufferedImage.TYPE_3BYTE_BGR);
            PlanarImage p = InitImages.image(img, c.get("side").asInt());
            assertEquals(3, p.channels());
            assertEquals(c.get("out").get(0).asInt(), p.width());
            assertEquals(c.get("out").get(1).asInt(), p.height());
            double sum = 0;
            for (float v : p.data()) {
                sum += v;
            }
            assertEquals(c.get("sum").asDouble(), sum, 1e-3, "sum of the float32 image");
            String hex = c.get("rgb").asText();
            if (!hex.startsWith("sha256:")) {
                byte[] rgb = HexFormat.of().parseHex(hex);
                int plane = p.width() * p.height();
                float[] expected = new float[3 * plane];
                for (int i = 0; i < rgb.length; i++) {
                    expected[(i % 3) * plane + i / 3] = (rgb[i] & 0xff) / 127.5f - 1f;
                }
                assertArrayEquals(expected, p.data());
            }
            count++;
        }
        assertEquals(5, count);
    }

    @Test
    void masksFromGreyAndRgbImagesAreLuminanceResizedAndBinarisedAtOneHalf() {
        int count = 0;
        for (JsonNode c : PilReference.JSON.get("masks")) {
            boolean grey = c.get("mode").asText().equals("L");
            BufferedImage img = PilReference.image(c.get("width").asInt(), c.get("height").asInt(), grey ? 1 : 3,
                    c.get("seed").asInt(), grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            PlanarImage p = InitImages.mask(img, 64);
            assertEquals(1, p.channels());
            assertEquals(c.get("out").get(0).asInt(), p.width());
            assertEquals(c.get("out").get(1).asInt(), p.height());
            String bits = c.get("bits").asText();
            float[] expected = new float[bits.length()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = bits.charAt(i) == '1' ? 1f : 0f;
            }
            assertArrayEquals(expected, p.data(), c.get("mode").asText());
            count++;
        }
        assertEquals(2, count);
    }

    @Test
    void greyPngsAreReadAsStoredNotThroughAwtsLinearGreyConversion() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        grey.getRaster().setSample(1, 0, 0, 50);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertArrayEquals(new byte[] {(byte) 128, (byte) 128, (byte) 128, 50, 50, 50}, InitImages.rgb(read));
        assertArrayEquals(new byte[] {(byte) 128, 50}, InitImages.luminance(read));
    }

    @Test
    void rgbLuminanceUsesPillowsFixedPointWeights() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80ff0000);
        img.setRGB(1, 0, 0xff00ff00);
        img.setRGB(2, 0, 0x000000ff);
        // Pillow: (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16; alpha is ignored.
        assertArrayEquals(new byte[] {76, (byte) 150, 29}, InitImages.luminance(img));
        assertArrayEquals(new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255}, InitImages.rgb(img));
    }
}
