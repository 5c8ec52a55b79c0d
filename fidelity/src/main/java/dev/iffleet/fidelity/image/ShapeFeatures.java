package dev.iffleet.fidelity.image;

/**
 * Measurements of one blob's covered region (coverage >= 0.5), in fractions of the working image.
 * The radial profile r(theta) is the distance from the centroid to the outline along each direction
 * (theta = 0 points right, y grows down); its Fourier harmonics, divided by the mean radius, tell the
 * shape classes apart: 3-fold for the triangle, 4-fold for square and diamond (the sign of the cosine
 * term says which: a square's r is least at theta = 0, a diamond's is greatest), 5-fold for the star.
 *
 * @param area covered area (sum of coverage)
 * @param cx centroid x
 * @param cy centroid y
 * @param width width of the covered region's bounding box
 * @param height height of the covered region's bounding box
 * @param holeFraction share of the filled region that is enclosed background (a ring's hole)
 * @param centreCoverage coverage at the centroid (a ring's is background: low even when blurred shut)
 * @param fill covered pixels over bounding-box pixels
 * @param h3 |c3| / c0 of the radial profile
 * @param h4 |c4| / c0
 * @param h4cos Re(c4) / c0
 * @param h5 |c5| / c0
 */
public record ShapeFeatures(
        double area,
        double cx,
        double cy,
        double width,
        double height,
        double holeFraction,
        double centreCoverage,
        double fill,
        double h3,
        double h4,
        double h4cos,
        double h5) {

    private static final int DIRECTIONS = 128;
    private static final double STEP = 0.25;

    public static ShapeFeatures measure(Coverage c, int imageWidth, int imageHeight) {
        int w = c.width();
        int h = c.height();
        boolean[] mask = new boolean[w * h];
        double sum = 0;
        double sx = 0;
        double sy = 0;
        int covered = 0;
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = c.at(x, y);
                sum += a;
                sx += a * (c.x0() + x + 0.5);
                sy += a * (c.y0() + y + 0.5);
                if (a >= 0.5) {
                    mask[y * w + x] = true;
                    covered++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (covered == 0) {
            return new ShapeFeatures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        double cx = sx / sum;
        double cy = sy / sum;
        int holes = Masks.count(Masks.enclosed(mask, w, h));
        int boxW = maxX - minX + 1;
        int boxH = maxY - minY + 1;
        double[][] harmonics = harmonics(profile(c, cx, cy));
        double c0 = harmonics[0][0];
        return new ShapeFeatures(
                sum / ((double) imageWidth * imageHeight),
                cx / imageWidth,
                cy / imageHeight,
                (double) boxW / imageWidth,
                (double) boxH / imageHeight,
                (double) holes / (holes + covered),
                c.sample(cx, cy),
                (double) covered / (boxW * boxH),
                Math.hypot(harmonics[3][0], harmonics[3][1]) / c0,
                Math.hypot(harmonics[4][0], harmonics[4][1]) / c0,
                harmonics[4][0] / c0,
                Math.hypot(harmonics[5][0], harmonics[5][1]) / c0);
    }

    /** Outermost radius along each direction where coverage crosses 0.5, interpolated between steps. */
    private static double[] profile(Coverage c, double cx, double cy) {
        double reach = Math.hypot(c.width(), c.height()) + 1;
        double[] r = new double[DIRECTIONS];
        for (int k = 0; k < DIRECTIONS; k++) {
            double theta = 2 * Math.PI * k / DIRECTIONS;
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            double outer = 0;
            double prev = 0;
            for (double d = reach; d >= 0; d -= STEP) {
                double a = c.sample(cx + d * cos, cy + d * sin);
                if (a >= 0.5) {
                    outer = d + STEP * (a - 0.5) / Math.max(1e-9, a - prev);
                    break;
                }
                prev = a;
            }
            r[k] = outer;
        }
        return r;
    }

    /** {re, im} of c_k = mean of r(theta) e^(-i k theta), for k = 0..5. */
    private static double[][] harmonics(double[] r) {
        double[][] c = new double[6][2];
        for (int k = 0; k < 6; k++) {
            for (int i = 0; i < r.length; i++) {
                double a = 2 * Math.PI * k * i / r.length;
                c[k][0] += r[i] * Math.cos(a) / r.length;
                c[k][1] -= r[i] * Math.sin(a) / r.length;
            }
        }
        return c;
    }
}
