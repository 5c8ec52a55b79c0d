package dev.iffleet.fidelity.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkingImageTest {

    @Test
    void areaAveragesLargeImagesDownToTheWorkingSide() {
        BufferedImage image = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        // a 4x4 block of the 1024 image becomes one pixel of the 256 one: 3 of its 16 pixels are white
        image.setRGB(0, 0, 0xffffff);
        image.setRGB(3, 3, 0xffffff);
        image.setRGB(2, 1, 0xffffff);
        image.setRGB(4, 0, 0xff0000);
        WorkingImage work = WorkingImage.of(image, 256);
        assertEquals(256, work.width());
        assertEquals(256, work.height());
        assertEquals(3 * 255 / 16.0, work.r(0), 1e-4);
        assertEquals(3 * 255 / 16.0, work.b(0), 1e-4);
        assertEquals(255 / 16.0, work.r(1), 1e-4);
        assertEquals(0, work.g(1), 1e-4);
    }

    @Test
    void neverEnlarges() {
        WorkingImage work = WorkingImage.of(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), 256);
        assertEquals(64, work.width());
    }

    @Test
    void estimatesNoiseAndSmoothingReducesIt() {
        BufferedImage image = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                int v = (int) Math.round(128 + 10 * random.nextGaussian());
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        WorkingImage work = WorkingImage.of(image, 256);
        int[] all = new int[work.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        assertEquals(10, work.noise(all, all.length), 0.5);
        // a Gaussian of sigma 1 scales independent noise by 1 / (2 sqrt(pi)) = 0.28
        assertEquals(2.8, work.smoothed(1).noise(all, all.length), 0.4);
    }
}
