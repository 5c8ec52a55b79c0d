package dev.iffleet.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class WatermarkTest {

    private static final int GREY = 0x7F7F7F;

    @Test
    void boxesMatchIfsFormula() {
        // expected values computed with IF's own expressions in Python
        assertEquals(new Watermark.Box(948, 948, 62), Watermark.box(1024, 1024));
        assertEquals(new Watermark.Box(238, 238, 15), Watermark.box(256, 256));
        assertEquals(new Watermark.Box(61, 61, 3), Watermark.box(64, 64));
        assertEquals(new Watermark.Box(986, 218, 31), Watermark.box(1024, 256));
        assertEquals(new Watermark.Box(723, 467, 37), Watermark.box(768, 512));
        assertEquals(new Watermark.Box(16, 16, 1), Watermark.box(17, 17));
        assertEquals(0, Watermark.box(16, 16).size());
    }

    @Test
    void stampsOnlyInsideItsBox() {
        int[][] sizes = {{1024, 1024}, {256, 256}, {64, 64}, {768, 512}, {300, 200}};
        for (int[] size : sizes) {
            BufferedImage image = grey(size[0], size[1]);
            Watermark.stamp(image);
            Watermark.Box box = Watermark.box(size[0], size[1]);
            int changedInside = 0;
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    boolean inside = x >= box.x() && x < box.x() + box.size()
                            && y >= box.y() && y < box.y() + box.size();
                    boolean changed = (image.getRGB(x, y) & 0xFFFFFF) != GREY;
                    if (inside) {
                        changedInside += changed ? 1 : 0;
                    } else if (changed) {
                        throw new AssertionError(size[0] + "x" + size[1] + ": pixel " + x + "," + y
                                + " outside " + box + " changed");
                    }
                }
            }
            int area = box.size() * box.size();
            assertTrue(changedInside * 10 >= area * 8, size[0] + "x" + size[1] + ": only " + changedInside
                    + " of " + area + " pixels in the box changed");
        }
    }

    @Test
    void stampShowsTheMarksColours() {
        BufferedImage image = grey(1024, 1024);
        Watermark.stamp(image);
        // at 1024² the mark is drawn 1:1 on its 62-unit grid: the "I" bar, the badge and the largest step
        assertTrue(brightness(image.getRGB(948 + 16, 948 + 20)) > 200, "the I bar is near white");
        assertTrue(brightness(image.getRGB(948 + 40, 948 + 33)) < 127, "the badge darkens grey");
        int step = image.getRGB(948 + 43, 948 + 45);
        assertTrue(((step >> 16) & 0xFF) > 200 && (step & 0xFF) < 100, "the last step is amber");
    }

    @Test
    void leavesTinyImagesAlone() {
        BufferedImage image = grey(16, 16);
        Watermark.stamp(image);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(GREY, image.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void outputSizeEnlargesImagesUnderTheSampleSize() {
        assertEquals(new Watermark.Size(256, 256), Watermark.outputSize(64, 64, 256));
        assertEquals(new Watermark.Size(1024, 1024), Watermark.outputSize(1024, 1024, 64));
        assertEquals(new Watermark.Size(1024, 2048), Watermark.outputSize(512, 1024, 1024));
        assertEquals(new Watermark.Size(300, 200), Watermark.outputSize(300, 200, 64));
    }

    @Test
    void stampAtSampleSizeEnlargesByNearestNeighbourThenStamps() {
        BufferedImage small = grey(64, 64);
        small.setRGB(0, 0, 0xFF0000);
        BufferedImage shown = Watermark.stampAtSampleSize(small, 256);
        assertEquals(256, shown.getWidth());
        assertEquals(0xFF0000, shown.getRGB(3, 3) & 0xFFFFFF);
        assertEquals(GREY, shown.getRGB(4, 4) & 0xFFFFFF);
        assertTrue((shown.getRGB(238 + 7, 238 + 7) & 0xFFFFFF) != GREY, "stamped at 256² position");
        BufferedImage large = grey(256, 256);
        assertSame(large, Watermark.stampAtSampleSize(large, 64));
    }

    private static BufferedImage grey(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, GREY);
            }
        }
        return image;
    }

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }
}
