package dev.iffleet.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The image fixtures under src/test/resources/images, written by make_fixtures.py there. */
final class Fixtures {

    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An 8-bit grey PNG fixture's samples, row-major, read without colour conversion. */
    static int[] grayPlane(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            BufferedImage image = ImageIO.read(in);
            return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] rgb(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }
}
