package dev.iffleet.diffusion.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Resizes image batches the way stage II conditions on stage I: torch F.interpolate(mode="bilinear", align_corners=True). */
public final class Upsample {

    private Upsample() {}

    /**
     * Bilinear resize with align_corners=True of x (B, C, h, w) to (B, C, H, W). Bilinear interpolation is
     * separable, so it is computed as Ry (H, h) @ x @ Rx^T (w, W) with the per-axis weights of PyTorch's
     * upsample_bilinear2d (src = dst * (in - 1) / (out - 1), neighbours floor(src) and floor(src)+1 clamped).
     * Stays on x's device; the result and the weight matrices live in x's manager.
     */
    public static NDArray bilinearAlignCorners(NDArray x, int height, int width) {
        Shape shape = x.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("expected (B, C, h, w), got " + shape);
        }
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        NDManager m = x.getManager();
        NDArray rowsT = m.create(weights(w, width, true), new Shape(w, width)).toDevice(x.getDevice(), false);
        NDArray rows = m.create(weights(h, height, false), new Shape(height, h)).toDevice(x.getDevice(), false);
        NDArray widened = x.toType(DataType.FLOAT32, false).matMul(rowsT);
        return rows.matMul(widened);
    }

    /**
     * Interpolation matrix mapping an axis of length in to out: (out, in) row-major, or its transpose (in, out)
     * when transposed is set. Scale and source coordinate in float32 as PyTorch's area_pixel_compute_scale.
     */
    static float[] weights(int in, int out, boolean transposed) {
        float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        float[] m = new float[in * out];
        for (int o = 0; o < out; o++) {
            float src = scale * o;
            int i0 = Math.min((int) src, in - 1);
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            float l1 = src - i0;
            float l0 = 1f - l1;
            add(m, transposed, in, out, o, i0, l0);
            add(m, transposed, in, out, o, i1, l1);
        }
        return m;
    }

    private static void add(float[] m, boolean transposed, int in, int out, int o, int i, float v) {
        if (transposed) {
            m[i * out + o] += v;
        } else {
            m[o * in + i] += v;
        }
    }
}
