package dev.iffleet.fidelity.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An image as three float planes (sRGB 0-255), reduced by area averaging to at most a given side.
 * Averaging keeps edges as partial coverage, which is what the analyser measures shapes from.
 */
public final class WorkingImage {

    private final int width;
    private final int height;
    private final float[] r;
    private final float[] g;
    private final float[] b;

    private WorkingImage(int width, int height) {
        this.width = width;
        this.height = height;
        this.r = new float[width * height];
        this.g = new float[width * height];
        this.b = new float[width * height];
    }

    /** The image, area-averaged so that neither side exceeds maxSide (never enlarged). */
    public static WorkingImage of(BufferedImage image, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
        WorkingImage out = new WorkingImage(Math.max(1, (int) Math.round(w * scale)),
                Math.max(1, (int) Math.round(h * scale)));
        for (int y = 0; y < out.height; y++) {
            int y0 = y * h / out.height;
            int y1 = Math.max(y0 + 1, (y + 1) * h / out.height);
            for (int x = 0; x < out.width; x++) {
                int x0 = x * w / out.width;
                int x1 = Math.max(x0 + 1, (x + 1) * w / out.width);
                out.average(argb, w, x0, x1, y0, y1, y * out.width + x);
            }
        }
        return out;
    }

    private void average(int[] argb, int stride, int x0, int x1, int y0, int y1, int at) {
        long sr = 0;
        long sg = 0;
        long sb = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = argb[y * stride + x];
                sr += (p >> 16) & 0xff;
                sg += (p >> 8) & 0xff;
                sb += p & 0xff;
            }
        }
        float n = (x1 - x0) * (y1 - y0);
        r[at] = sr / n;
        g[at] = sg / n;
        b[at] = sb / n;
    }

    /** A copy blurred by a separable Gaussian of the given standard deviation (pixels); edges clamp. */
    public WorkingImage smoothed(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            total += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= total;
        }
        WorkingImage out = new WorkingImage(width, height);
        float[][] in = {r, g, b};
        float[][] to = {out.r, out.g, out.b};
        float[] row = new float[size()];
        for (int c = 0; c < 3; c++) {
            convolve(in[c], row, kernel, radius, 1, 0);
            convolve(row, to[c], kernel, radius, 0, 1);
        }
        return out;
    }

    private void convolve(float[] src, float[] dst, double[] kernel, int radius, int dx, int dy) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    int sx = Math.max(0, Math.min(width - 1, x + k * dx));
                    int sy = Math.max(0, Math.min(height - 1, y + k * dy));
                    sum += kernel[k + radius] * src[sy * width + sx];
                }
                dst[y * width + x] = (float) sum;
            }
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int size() {
        return width * height;
    }

    public float r(int i) {
        return r[i];
    }

    public float g(int i) {
        return g[i];
    }

    public float b(int i) {
        return b[i];
    }

    /** Euclidean sRGB distance of pixel i from the colour c = {r, g, b}. */
    public double distance(int i, double[] c) {
        double dr = r[i] - c[0];
        double dg = g[i] - c[1];
        double db = b[i] - c[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** Per-channel median of the given pixels, {r, g, b}. */
    public double[] median(int[] pixels, int count) {
        return new double[] {median(r, pixels, count), median(g, pixels, count), median(b, pixels, count)};
    }

    /**
     * Noise of the given pixels, which should all show one colour: the per-channel median absolute
     * deviation from the median, scaled to a Gaussian's standard deviation (x 1.4826), averaged over channels.
     */
    public double noise(int[] pixels, int count) {
        double[] centre = median(pixels, count);
        float[][] planes = {r, g, b};
        double sum = 0;
        float[] deviation = new float[count];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < count; k++) {
                deviation[k] = (float) Math.abs(planes[c][pixels[k]] - centre[c]);
            }
            Arrays.sort(deviation);
            sum += 1.4826 * deviation[count / 2];
        }
        return sum / 3;
    }

    private static double median(float[] plane, int[] pixels, int count) {
        float[] v = new float[count];
        for (int k = 0; k < count; k++) {
            v[k] = plane[pixels[k]];
        }
        Arrays.sort(v);
        return count % 2 == 1 ? v[count / 2] : (v[count / 2 - 1] + v[count / 2]) / 2.0;
    }
}
