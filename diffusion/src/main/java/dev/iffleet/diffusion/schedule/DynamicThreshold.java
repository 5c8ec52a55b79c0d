package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Applies Imagen's dynamic thresholding to a predicted x0, exactly as diffusers' DDPMScheduler._threshold_sample. */
public final class DynamicThreshold {

    private final float ratio;
    private final float sampleMax;

    /**
     * @param ratio percentile of |x0| per sample (IF: 0.95)
     * @param sampleMax upper bound of the threshold s (IF: 1.5 stage I, 1.0 stage II)
     */
    public DynamicThreshold(double ratio, double sampleMax) {
        this.ratio = (float) ratio;
        this.sampleMax = (float) sampleMax;
    }

    /**
     * s = clamp(quantile(|x0| flattened per sample, ratio), 1, sampleMax); x0 = clamp(x0, -s, s) / s
     * (Saharia et al. 2022, sec. 2.3). Works for any (B, ...) shape; the result lives in x0's manager.
     */
    public NDArray apply(NDArray x0) {
        Shape shape = x0.getShape();
        long batch = shape.get(0);
        NDArray flat = x0.reshape(batch, -1);
        NDArray s = quantileLinear(flat.abs(), ratio).clip(1f, sampleMax).reshape(batch, 1);
        return flat.minimum(s).maximum(s.neg()).div(s).reshape(shape);
    }

    /**
     * Row-wise torch.quantile with linear interpolation: rank = q * (n - 1) in float32 (torch keeps q in the
     * input's dtype), value = sorted[floor] + (sorted[ceil] - sorted[floor]) * (rank - floor).
     */
    static NDArray quantileLinear(NDArray rows, float q) {
        long n = rows.getShape().get(1);
        float rank = q * (n - 1);
        long below = (long) rank;
        long above = (long) Math.ceil(rank);
        float weight = rank - below;
        NDArray sorted = rows.sort(1);
        NDArray lo = sorted.get(":, {}", below);
        NDArray hi = sorted.get(":, {}", above);
        return lo.add(hi.sub(lo).mul(weight));
    }
}
