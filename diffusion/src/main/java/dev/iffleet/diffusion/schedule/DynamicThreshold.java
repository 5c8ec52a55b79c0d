package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
     * The run's constants for samples of perSample values each, as 0-d float32 arrays in manager (on the
     * sample's device). Why: in DJL a Number operand ({@code clip(1, max)}, {@code mul(w)}) is a blocking
     * host-to-device copy plus a sync on a GPU; made once per run, the per-step thresholding never leaves the
     * device. The quantile's ranks are host longs (shape metadata), which cost no transfer.
     */
    public Constants constants(NDManager manager, long perSample) {
        float rank = ratio * (perSample - 1);
        long below = (long) rank;
        return new Constants(manager.create(1f), manager.create(sampleMax), manager.create(rank - below), below,
                (long) Math.ceil(rank));
    }

    /**
     * Device-side constants of one run (see {@link #constants}).
     *
     * @param one 1 (the lower bound of s)
     * @param max sampleMax (the upper bound of s)
     * @param weight the quantile's interpolation weight rank - floor(rank)
     * @param below floor(rank)
     * @param above ceil(rank)
     */
    public record Constants(NDArray one, NDArray max, NDArray weight, long below, long above) {}

    /**
     * s = clamp(quantile(|x0| flattened per sample, ratio), 1, sampleMax); x0 = clamp(x0, -s, s) / s
     * (Saharia et al. 2022, sec. 2.3). Works for any (B, ...) shape; the result lives in x0's manager.
     */
    public NDArray apply(NDArray x0) {
        Shape shape = x0.getShape();
        try (NDManager tmp = x0.getManager().newSubManager()) {
            return apply(x0, constants(tmp, shape.size() / shape.get(0)));
        }
    }

    /**
     * {@link #apply(NDArray)} with premade constants: no host round trip. clamp(q, 1, max) is written
     * maximum(q, 1).minimum(max), which selects exactly the same float (clamp is min(max(q, lo), hi)).
     */
    public NDArray apply(NDArray x0, Constants c) {
        Shape shape = x0.getShape();
        long batch = shape.get(0);
        NDArray flat = x0.reshape(batch, -1);
        NDArray s = quantileLinear(flat.abs(), c).maximum(c.one()).minimum(c.max()).reshape(batch, 1);
        return flat.minimum(s).maximum(s.neg()).div(s).reshape(shape);
    }

    /**
     * Row-wise torch.quantile with linear interpolation: rank = q * (n - 1) in float32 (torch keeps q in the
     * input's dtype), value = sorted[floor] + (sorted[ceil] - sorted[floor]) * (rank - floor).
     */
    static NDArray quantileLinear(NDArray rows, Constants c) {
        NDArray sorted = rows.sort(1);
        NDArray lo = sorted.get(":, {}", c.below());
        NDArray hi = sorted.get(":, {}", c.above());
        return lo.add(hi.sub(lo).mul(c.weight()));
    }
}
