package dev.iffleet.diffusion.image;

/**
 * Resizes 8-bit images bit-for-bit as Pillow's {@code Image.resize(size, BICUBIC, reducing_gap=None)}, and gives
 * the size diffusers' IF img2img/inpainting pipelines resize user images to. No DJL: the gateway can use it.
 *
 * <p>Pillow's resampling (libImaging/Resample.c): separable passes, horizontal first; per output pixel a bicubic
 * kernel (a = -0.5) with its support widened by the downscale factor (antialiasing), weights normalised to sum 1
 * and rounded to 22-bit fixed point; each pass rounds and clips its result to 0..255.
 */
public final class ImageResize {

    /** Width and height in pixels. */
    public record Size(int width, int height) {}

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BICUBIC_SUPPORT = 2.0;
    private static final double A = -0.5;

    private ImageResize() {}

    /**
     * The size of diffusers' deepfloyd_if resize(image, side): the short side becomes side and the long side
     * round(side / 8 * ratio) * 8, Python's round (half to even). For width &gt;= height: (that, side);
     * otherwise (side, that). Stage I uses side 64, stage II 256.
     */
    public static Size ifSize(int width, int height, int side) {
        if (width < 1 || height < 1 || side < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height + ", " + side);
        }
        double coef = (double) width / height;
        if (coef >= 1) {
            return new Size((int) Math.rint(side / 8.0 * coef) * 8, side);
        }
        return new Size(side, (int) Math.rint(side / 8.0 / coef) * 8);
    }

    /**
     * Pillow's bicubic resize of an 8-bit image stored row-major with interleaved channels (H, W, C), as numpy
     * holds a PIL image: returns (newHeight, newWidth, C) the same way.
     */
    public static byte[] bicubic(byte[] pixels, int width, int height, int channels, int newWidth, int newHeight) {
        if ((long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException(
                    pixels.length + " bytes are not " + width + "x" + height + "x" + channels);
        }
        if (newWidth < 1 || newHeight < 1) {
            throw new IllegalArgumentException("target size must be positive: " + newWidth + "x" + newHeight);
        }
        byte[] out = pixels;
        if (height > width * 100 && newHeight < height) {
            // Image.resize handles very tall images as two one-axis resizes, vertical first.
            out = vertical(out, width, height, channels, newHeight);
            return newWidth == width ? out : horizontal(out, width, newHeight, channels, newWidth);
        }
        if (newWidth != width) {
            out = horizontal(out, width, height, channels, newWidth);
        }
        if (newHeight != height) {
            out = vertical(out, newWidth, height, channels, newHeight);
        }
        return out == pixels ? pixels.clone() : out;
    }

    private static byte[] horizontal(byte[] in, int width, int height, int channels, int newWidth) {
        Kernel k = Kernel.of(width, newWidth);
        byte[] out = new byte[height * newWidth * channels];
        for (int y = 0; y < height; y++) {
            int rowIn = y * width * channels;
            int rowOut = y * newWidth * channels;
            for (int xx = 0; xx < newWidth; xx++) {
                for (int c = 0; c < channels; c++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < k.count[xx]; x++) {
                        ss += (in[rowIn + (x + k.first[xx]) * channels + c] & 0xff) * k.weights[xx * k.size + x];
                    }
                    out[rowOut + xx * channels + c] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int width, int height, int channels, int newHeight) {
        Kernel k = Kernel.of(height, newHeight);
        int stride = width * channels;
        byte[] out = new byte[newHeight * stride];
        for (int yy = 0; yy < newHeight; yy++) {
            for (int i = 0; i < stride; i++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < k.count[yy]; y++) {
                    ss += (in[(y + k.first[yy]) * stride + i] & 0xff) * k.weights[yy * k.size + y];
                }
                out[yy * stride + i] = clip8(ss);
            }
        }
        return out;
    }

    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Fixed-point weights of one axis: for output i, count[i] weights starting at input first[i]. */
    private record Kernel(int size, int[] first, int[] count, int[] weights) {

        /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bicubic filter, in the same double steps. */
        static Kernel of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = BICUBIC_SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            double invFilterScale = 1.0 / filterScale;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubic((x + xmin - center + 0.5) * invFilterScale);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double kk = ww != 0.0 ? k[x] / ww : k[x];
                    weights[xx * size + x] = kk < 0 ? (int) (-0.5 + kk * (1 << PRECISION_BITS))
                            : (int) (0.5 + kk * (1 << PRECISION_BITS));
                }
                first[xx] = xmin;
                count[xx] = xmax;
            }
            return new Kernel(size, first, count, weights);
        }

        /** Keys' cubic convolution kernel with a = -0.5, evaluated as Pillow writes it. */
        private static double bicubic(double x) {
            if (x < 0.0) {
                x = -x;
            }
            if (x < 1.0) {
                return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
            }
            if (x < 2.0) {
                return (((x - 5) * x + 8) * x - 4) * A;
            }
            return 0.0;
        }
    }
}
