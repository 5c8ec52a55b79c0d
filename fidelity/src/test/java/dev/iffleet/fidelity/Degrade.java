package dev.iffleet.fidelity;

import java.awt.image.BufferedImage;
import java.util.Random;

/** Makes a clean render look more like a model's output: a box blur, then Gaussian noise per channel. */
final class Degrade {

    private Degrade() {}

    static BufferedImage blurredAndNoisy(BufferedImage image, int radius, double sigma, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            for (int c = 0; c < 3; c++) {
                planes[c][i] = (rgb[i] >> (16 - 8 * c)) & 0xff;
            }
        }
        for (float[] plane : planes) {
            box(plane, w, h, radius, true);
            box(plane, w, h, radius, false);
        }
        for (int i = 0; i < rgb.length; i++) {
            int v = 0;
            for (int c = 0; c < 3; c++) {
                long channel = Math.round(planes[c][i] + sigma * random.nextGaussian());
                v |= (int) Math.max(0, Math.min(255, channel)) << (16 - 8 * c);
            }
            rgb[i] = v;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    /** Mean over 2 radius + 1 pixels along x (or y), edges clamped; a running sum, so any radius costs the same. */
    private static void box(float[] plane, int w, int h, int radius, boolean alongX) {
        int lines = alongX ? h : w;
        int length = alongX ? w : h;
        int step = alongX ? 1 : w;
        float[] line = new float[length];
        for (int l = 0; l < lines; l++) {
            int start = alongX ? l * w : l;
            for (int i = 0; i < length; i++) {
                line[i] = plane[start + i * step];
            }
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += line[Math.max(0, Math.min(length - 1, k))];
            }
            for (int i = 0; i < length; i++) {
                plane[start + i * step] = (float) (sum / (2 * radius + 1));
                sum += line[Math.min(length - 1, i + radius + 1)] - line[Math.max(0, i - radius)];
            }
        }
    }
}
