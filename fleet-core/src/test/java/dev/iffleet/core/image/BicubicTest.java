package dev.iffleet.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BicubicTest {

    private static final int[] NOISE = Fixtures.grayPlane("noise.png"); // 37 x 23

    @Test
    void shrinksAsPillowDoes() {
        assertArrayEquals(Fixtures.grayPlane("noise_pil_16x10.png"), Bicubic.resize(NOISE, 37, 23, 16, 10));
    }

    @Test
    void enlargesAsPillowDoes() {
        assertArrayEquals(Fixtures.grayPlane("noise_pil_64x50.png"), Bicubic.resize(NOISE, 37, 23, 64, 50));
    }

    @Test
    void sameSizeIsACopy() {
        int[] same = Bicubic.resize(NOISE, 37, 23, 37, 23);
        assertArrayEquals(NOISE, same);
        same[0]++;
        assertArrayEquals(Fixtures.grayPlane("noise.png"), NOISE);
    }

    @Test
    void refusesAnEmptyTarget() {
        assertThrows(IllegalArgumentException.class, () -> Bicubic.resize(NOISE, 37, 23, 0, 10));
    }
}
