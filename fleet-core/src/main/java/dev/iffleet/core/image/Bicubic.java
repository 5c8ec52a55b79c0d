package dev.iffleet.core.image;

/**
 * Pillow's bicubic resize of 8-bit planes ({@code Image.resize(size, BICUBIC, reducing_gap=None)}, the resize
 * IF's pipelines apply to input images and masks), ported from the algorithm of Pillow's Resample.c: a separable
 * a = -0.5 cubic whose support widens with the downscale factor (so shrinking averages rather than aliases),
 * horizontal pass first, 22-bit fixed-point weights and rounding. Same pixels as Pillow 9.4 on the fixtures.
 */
final class Bicubic {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private Bicubic() {}

    /** Resizes one plane of {@code inW x inH} values 0..255, row-major, to {@code outW x outH}. */
    static int[] resize(int[] plane, int inW, int inH, int outW, int outH) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("cannot resize to " + outW + "x" + outH);
        }
        int[] out = plane;
        int w = inW;
        if (outW != inW) {
            out = pass(out, w, inH, outW, true);
            w = outW;
        }
        if (outH != inH) {
            out = pass(out, w, inH, outH, false);
        }
        return out == plane ? plane.clone() : out;
    }

    /** One pass along x ({@code horizontal}) or y, from {@code w x h} to {@code outSize} along that axis. */
    private static int[] pass(int[] in, int w, int h, int outSize, boolean horizontal) {
        int inSize = horizontal ? w : h;
        Coefficients c = Coefficients.of(inSize, outSize);
        int outW = horizontal ? outSize : w;
        int outH = horizontal ? h : outSize;
        int[] out = new int[outW * outH];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = horizontal ? x : y;
                int min = c.min[o];
                int sum = 1 << (PRECISION_BITS - 1);
                for (int k = 0; k < c.count[o]; k++) {
                    int v = horizontal ? in[y * w + min + k] : in[(min + k) * w + x];
                    sum += v * c.weights[o * c.size + k];
                }
                out[y * outW + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        return v <= 0 ? 0 : v >> PRECISION_BITS;
    }

    private static double cubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** For each output index: first input index, number of taps, and fixed-point weights. */
    private record Coefficients(int size, int[] min, int[] count, int[] weights) {

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] min = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            double ss = 1.0 / filterScale;
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                // (int) truncates toward zero, as C's cast does in Pillow
                int lo = Math.max((int) (center - support + 0.5), 0);
                int n = Math.min((int) (center + support + 0.5), inSize) - lo;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    k[i] = cubic((i + lo - center + 0.5) * ss);
                    total += k[i];
                }
                for (int i = 0; i < n; i++) {
                    double weight = total != 0.0 ? k[i] / total : k[i];
                    weights[o * size + i] = (int) (weight < 0 ? -0.5 + weight * (1 << PRECISION_BITS)
                            : 0.5 + weight * (1 << PRECISION_BITS));
                }
                min[o] = lo;
                count[o] = n;
            }
            return new Coefficients(size, min, count, weights);
        }
    }
}
