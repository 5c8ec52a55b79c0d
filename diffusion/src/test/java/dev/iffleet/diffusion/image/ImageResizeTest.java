package dev.iffleet.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ImageResizeTest {

    @Test
    void ifSizeMatchesDiffusersResizeIncludingHalfToEvenRounding() {
        int count = 0;
        for (JsonNode c : PilReference.JSON.get("sizes")) {
            ImageResize.Size size = ImageResize.ifSize(c.get("width").asInt(), c.get("height").asInt(),
                    c.get("side").asInt());
            assertEquals(new ImageResize.Size(c.get("out").get(0).asInt(), c.get("out").get(1).asInt()), size,
                    c.toString());
            count++;
        }
        assertEquals(10, count);
        // 25x16: 64 / 8 * 1.5625 = 12.5 rounds to 12, not 13.
        assertEquals(new ImageResize.Size(96, 64), ImageResize.ifSize(25, 16, 64));
        assertEquals(new ImageResize.Size(64, 96), ImageResize.ifSize(16, 25, 64));
    }

    @Test
    void rgbResizesAreBitIdenticalToPillowBicubic() {
        int count = 0;
        for (JsonNode c : PilReference.JSON.get("images")) {
            int w = c.get("width").asInt();
            int h = c.get("height").asInt();
            byte[] out = ImageResize.bicubic(PilReference.pattern(w, h, 3, c.get("seed").asInt()), w, h, 3,
                    c.get("out").get(0).asInt(), c.get("out").get(1).asInt());
            assertTrue(PilReference.matches(c.get("rgb").asText(), out), c.get("width") + "x" + c.get("height"));
            count++;
        }
        assertEquals(5, count);
    }

    @Test
    void oneAxisUpDownAndVeryTallResizesAreBitIdenticalToPillow() {
        int count = 0;
        for (JsonNode c : PilReference.JSON.get("resample")) {
            int w = c.get("width").asInt();
            int h = c.get("height").asInt();
            byte[] out = ImageResize.bicubic(PilReference.pattern(w, h, 1, c.get("seed").asInt()), w, h, 1,
                    c.get("new_width").asInt(), c.get("new_height").asInt());
            assertEquals(c.get("l").asText(), HexFormat.of().formatHex(out), c.toString());
            count++;
        }
        assertEquals(4, count);
    }

    @Test
    void sameSizeIsACopyAndBadSizesAreRejected() {
        byte[] in = PilReference.pattern(3, 2, 3, 1);
        byte[] out = ImageResize.bicubic(in, 3, 2, 3, 3, 2);
        assertArrayEquals(in, out);
        assertNotSame(in, out);
        assertThrows(IllegalArgumentException.class, () -> ImageResize.bicubic(in, 3, 3, 3, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageResize.bicubic(in, 3, 2, 3, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageResize.ifSize(0, 4, 64));
    }
}
