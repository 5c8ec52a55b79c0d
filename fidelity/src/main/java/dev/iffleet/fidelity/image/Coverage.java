package dev.iffleet.fidelity.image;

/**
 * How much of each pixel near a blob is covered by the blob's paint, 0..1: the pixel's position on the
 * line from the background colour to the paint colour. Pixels of other blobs count as uncovered.
 * Thresholding coverage at 0.5 recovers the drawn outline to sub-pixel accuracy whatever the contrast.
 */
public final class Coverage {

    private static final int MARGIN = 2;

    private final int x0;
    private final int y0;
    private final int w;
    private final int h;
    private final float[] alpha;

    private Coverage(int x0, int y0, int w, int h) {
        this.x0 = x0;
        this.y0 = y0;
        this.w = w;
        this.h = h;
        this.alpha = new float[w * h];
    }

    public static Coverage of(WorkingImage image, Segmentation segmentation, Blob blob, double[] background,
            double[] paint) {
        int x0 = Math.max(0, blob.minX() - MARGIN);
        int y0 = Math.max(0, blob.minY() - MARGIN);
        int x1 = Math.min(image.width() - 1, blob.maxX() + MARGIN);
        int y1 = Math.min(image.height() - 1, blob.maxY() + MARGIN);
        Coverage c = new Coverage(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int label = segmentation.label(x, y);
                if (label == 0 || label == blob.label()) {
                    c.alpha[(y - y0) * c.w + (x - x0)] = (float) fraction(image, y * image.width() + x, background,
                            paint);
                }
            }
        }
        return c;
    }

    /** Coverage of pixel i by paint over background: its position on the line between them, clamped to 0..1. */
    public static double fraction(WorkingImage image, int i, double[] background, double[] paint) {
        double ar = paint[0] - background[0];
        double ag = paint[1] - background[1];
        double ab = paint[2] - background[2];
        double a = ((image.r(i) - background[0]) * ar + (image.g(i) - background[1]) * ag
                + (image.b(i) - background[2]) * ab) / (ar * ar + ag * ag + ab * ab);
        return Math.max(0, Math.min(1, a));
    }

    /** Window origin and size, in working-image pixels. */
    public int x0() {
        return x0;
    }

    public int y0() {
        return y0;
    }

    public int width() {
        return w;
    }

    public int height() {
        return h;
    }

    /** Coverage of window pixel (x, y). */
    public float at(int x, int y) {
        return alpha[y * w + x];
    }

    /** Bilinear coverage at a point of the working image (pixel i spans [i, i + 1)). */
    public double sample(double x, double y) {
        double u = x - x0 - 0.5;
        double v = y - y0 - 0.5;
        int i = (int) Math.floor(u);
        int j = (int) Math.floor(v);
        double fu = u - i;
        double fv = v - j;
        return (1 - fu) * (1 - fv) * get(i, j) + fu * (1 - fv) * get(i + 1, j)
                + (1 - fu) * fv * get(i, j + 1) + fu * fv * get(i + 1, j + 1);
    }

    private double get(int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : alpha[y * w + x];
    }
}
