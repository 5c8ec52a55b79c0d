package dev.iffleet.diffusion.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads pil_bicubic.json (written by src/test/python/pil_bicubic.py with Pillow) and rebuilds its inputs: the
 * procedural pattern (x*x*3 + y*7 + x*y + c*50 + seed*11) % 256, row-major with interleaved channels.
 */
final class PilReference {

    static final JsonNode JSON = load();

    private PilReference() {}

    private static JsonNode load() {
        try (InputStream in = PilReference.class.getResourceAsStream("/pil_bicubic.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] pattern(int w, int h, int channels, int seed) {
        byte[] out = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    out[(y * w + x) * channels + c] = (byte) ((x * x * 3 + y * 7 + x * y + c * 50 + seed * 11) % 256);
                }
            }
        }
        return out;
    }

    /** The pattern as a BufferedImage of the given AWT type (TYPE_BYTE_GRAY for one channel). */
    static BufferedImage image(int w, int h, int channels, int seed, int type) {
        byte[] p = pattern(w, h, channels, seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * channels;
                if (channels == 1) {
                    img.getRaster().setSample(x, y, 0, p[i] & 0xff);
                } else {
                    img.setRGB(x, y, 0xff000000 | (p[i] & 0xff) << 16 | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff));
                }
            }
        }
        return img;
    }

    /** Whether bytes equal a stored "hex" or "sha256:hex" value. */
    static boolean matches(String expected, byte[] actual) {
        if (expected.startsWith("sha256:")) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(actual);
                return expected.substring(7).equals(HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return expected.equals(HexFormat.of().formatHex(actual));
    }
}
