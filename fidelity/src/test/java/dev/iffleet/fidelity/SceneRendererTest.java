package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SceneRendererTest {

    private static final int SIZE = 1024;

    private final World world = TestWorld.get();
    private final SceneRenderer renderer = new SceneRenderer(world);

    /** A Random whose uniform draws are all 0.5: no jitter. */
    private static final class NoJitter extends Random {
        @Override
        public double nextDouble() {
            return 0.5;
        }
    }

    @Test
    void paintsTheBackgroundAndTheObjectColour() {
        BufferedImage image = draw(Shape.CIRCLE, "red", "blue");
        assertEquals(world.background("blue").rgb(), rgb(image, 2, 2));
        assertEquals(world.colour("red").rgb(), rgb(image, SIZE / 2, SIZE / 2));
    }

    @Test
    void drawsEachShapeAsWorldJsonDescribesIt() {
        int c = SIZE / 2;
        int q = (int) (0.45 * 0.36 * SIZE);
        assertInside(Shape.SQUARE, c + q, c + q, true);
        assertInside(Shape.DIAMOND, c + q, c + q, false);
        assertInside(Shape.DIAMOND, c + q, c, true);
        assertInside(Shape.CIRCLE, c + q, c + q, false);
        assertInside(Shape.TRIANGLE, c, c - q, true);
        assertInside(Shape.TRIANGLE, c - q, c - q, false);
        assertInside(Shape.TRIANGLE, c - q, c + q, true);
        assertInside(Shape.STAR, c, c - q, true);
        assertInside(Shape.STAR, c, c + q, false);
        assertInside(Shape.RING, c, c, false);
        assertInside(Shape.RING, c + (int) (0.39 * 0.36 * SIZE), c, true);
    }

    @Test
    void coversTheAreaOfEachShapesGeometry() {
        for (Shape shape : Shape.values()) {
            BufferedImage image = draw(shape, "white", "black");
            double covered = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    covered += ((rgb(image, x, y) & 0xff) - 16) / (250.0 - 16);
                }
            }
            double expected = world.geometry().areaFactor(shape) * Math.pow(0.36 * SIZE, 2);
            assertEquals(expected, covered, 0.01 * expected, shape.word());
        }
    }

    @Test
    void jitterIsSeededAndBounded() {
        Scene scene = one(Shape.SQUARE, "green", "white");
        assertArrayEquals(pixels(renderer.render(scene, 64, new Random(9))),
                pixels(renderer.render(scene, 64, new Random(9))));
        assertFalse(Arrays.equals(pixels(renderer.render(scene, 64, new Random(9))),
                pixels(renderer.render(scene, 64, new Random(10)))));
        Random random = new Random(11);
        double half = 0.36 * SIZE / 2;
        double bound = world.jitter() * SIZE;
        for (int i = 0; i < 20; i++) {
            BufferedImage image = renderer.render(scene, SIZE, random);
            int left = 0;
            while ((rgb(image, left, SIZE / 2)) == world.background("white").rgb()) {
                left++;
            }
            assertTrue(Math.abs(left + half - SIZE / 2.0) <= bound + 1, "left edge at " + left);
        }
    }

    @Test
    void writesSignTextAtTheCapHeightInTheContrastingColour() {
        Scene scene = new Scene("sign", Form.SIGN, world.background("gray"), List.of(), "",
                Optional.of(new Scene.Sign(world.colour("yellow"), "17")));
        BufferedImage image = renderer.render(scene, SIZE, new NoJitter());
        int top = SIZE;
        int bottom = -1;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (rgb(image, x, y) == world.colour("black").rgb()) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        assertEquals(0.22 * SIZE, bottom - top + 1, 0.03 * 0.22 * SIZE);
        assertEquals(SIZE / 2.0, (top + bottom + 1) / 2.0, 2);
        assertEquals(world.colour("yellow").rgb(), rgb(image, (int) (0.17 * SIZE), SIZE / 2));
        assertEquals(world.background("gray").rgb(), rgb(image, (int) (0.14 * SIZE), SIZE / 2));
    }

    private void assertInside(Shape shape, int x, int y, boolean inside) {
        BufferedImage image = draw(shape, "red", "white");
        int expected = inside ? world.colour("red").rgb() : world.background("white").rgb();
        assertEquals(expected, rgb(image, x, y), shape.word() + " at " + x + "," + y);
    }

    private BufferedImage draw(Shape shape, String colour, String background) {
        return renderer.render(one(shape, colour, background), SIZE, new NoJitter());
    }

    private Scene one(Shape shape, String colour, String background) {
        return new Scene("test", Form.ONE, world.background(background),
                List.of(new Scene.SceneObject(world.colour(colour), shape, "large", 0.36, new Point(0.5, 0.5))),
                "in the center", Optional.empty());
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
