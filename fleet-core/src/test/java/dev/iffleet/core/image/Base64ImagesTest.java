package dev.iffleet.core.image;

import static dev.iffleet.core.image.InputImagesLimitsTest.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class Base64ImagesTest {

    private static final byte[] BYTES = {(byte) 0xFB, (byte) 0xFF, 0x00, 0x10, 0x7E};

    @Test
    void decodesStandardBase64WithLineBreaksAndWithoutPadding() {
        String text = Base64.getEncoder().encodeToString(BYTES); // "+/8AEH4="
        assertArrayEquals(BYTES, Base64Images.decode(text, 100));
        assertArrayEquals(BYTES, Base64Images.decode("+/8A\r\nEH4", 100));
    }

    @Test
    void decodesUrlSafeBase64() {
        assertArrayEquals(BYTES, Base64Images.decode(Base64.getUrlEncoder().encodeToString(BYTES), 100));
    }

    @Test
    void decodesBase64DataUrls() {
        String text = Base64.getEncoder().encodeToString(BYTES);
        assertArrayEquals(BYTES, Base64Images.decode("data:image/webp;base64," + text, 100));
        assertArrayEquals(BYTES, Base64Images.decode("DATA:image/png;BASE64," + text, 100));
    }

    @Test
    void refusesWhatIsNotBase64() {
        assertEquals(ImageError.INVALID_BASE64, error(() -> Base64Images.decode("not*base64", 100)));
        assertEquals(ImageError.INVALID_BASE64, error(() -> Base64Images.decode("data:image/png,abcd", 100)));
        assertEquals(ImageError.INVALID_BASE64, error(() -> Base64Images.decode("data:image/png;base64", 100)));
        assertEquals(ImageError.INVALID_BASE64, error(() -> Base64Images.decode(null, 100)));
    }

    @Test
    void refusesOversizedPayloadsFromTheirLength() {
        // 5 bytes need 8 characters; allowing 4 bytes must fail, and an invalid oversized payload fails on size
        String text = Base64.getEncoder().encodeToString(BYTES);
        assertEquals(ImageError.IMAGE_TOO_LARGE, error(() -> Base64Images.decode(text, 4)));
        assertArrayEquals(BYTES, Base64Images.decode(text, 5));
        assertEquals(ImageError.IMAGE_TOO_LARGE, error(() -> Base64Images.decode("*".repeat(4000), 1000)));
    }
}
