package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Classifier-free guidance: whether it runs, the doubled [uncond, cond] batch, and how the two halves of the
 * model output combine.
 */
public final class Guidance {

    private Guidance() {}

    /**
     * Whether guidance scale g needs the unconditional branch. As in diffusers' pipelines
     * ({@code do_classifier_free_guidance = guidance_scale > 1.0}), g &lt;= 1 runs the conditional branch alone: at
     * g = 1 the guided output equals it, and the UNet does half the work.
     */
    public static boolean applies(float g) {
        return g > 1f;
    }

    /** The UNet's batch: [x, x] when guidance applies, else x. */
    static NDArray batch(NDArray x, boolean guided) {
        return guided ? NDArrays.concat(new NDList(x, x), 0) : x;
    }

    /** The UNet's text embeddings: [negEmb, textEmb] when guidance applies, else textEmb. */
    static NDArray hidden(NDArray negEmb, NDArray textEmb, boolean guided) {
        return guided ? NDArrays.concat(new NDList(negEmb, textEmb), 0) : textEmb;
    }

    /**
     * For UNets that also predict a variance (IF stages I/II): modelOutput (2B, 2C, H, W), batch order
     * [uncond, cond]; returns (B, 2C, H, W) with eps = eps_u + g * (eps_c - eps_u) (Ho &amp; Salimans 2022, eq. 6)
     * in the first C channels and the cond branch's variance channels after them, as diffusers' IF pipelines do.
     */
    public static NDArray learnedVariance(NDArray modelOutput, float g) {
        try (NDArray scale = modelOutput.getManager().create(g)) {
            return learnedVariance(modelOutput, scale);
        }
    }

    /**
     * {@link #learnedVariance(NDArray, float)} with g a premade 0-d float32 array on the output's device: the
     * same operations (DJL's mul(Number) multiplies by a fresh 0-d array), without a host-to-device copy and sync
     * per step on a GPU.
     */
    static NDArray learnedVariance(NDArray modelOutput, NDArray g) {
        NDList halves = halves(modelOutput);
        long channels = modelOutput.getShape().get(1) / 2;
        NDList uncond = halves.get(0).split(new long[] {channels}, 1);
        NDList cond = halves.get(1).split(new long[] {channels}, 1);
        NDArray eps = combine(uncond.get(0), cond.get(0), g);
        return NDArrays.concat(new NDList(eps, cond.get(1)), 1);
    }

    /** Plain guidance (x4 upscaler): modelOutput (2B, C, H, W) [uncond, cond] -> (B, C, H, W). */
    public static NDArray plain(NDArray modelOutput, float g) {
        try (NDArray scale = modelOutput.getManager().create(g)) {
            return plain(modelOutput, scale);
        }
    }

    /** {@link #plain(NDArray, float)} with g a premade 0-d float32 array (see {@link #learnedVariance}). */
    static NDArray plain(NDArray modelOutput, NDArray g) {
        NDList halves = halves(modelOutput);
        return combine(halves.get(0), halves.get(1), g);
    }

    private static NDList halves(NDArray modelOutput) {
        long batch2 = modelOutput.getShape().get(0);
        if (batch2 % 2 != 0) {
            throw new IllegalArgumentException("guidance needs an even batch [uncond, cond], got " + batch2);
        }
        return modelOutput.split(2, 0);
    }

    private static NDArray combine(NDArray uncond, NDArray cond, NDArray g) {
        return uncond.add(cond.sub(uncond).mul(g));
    }
}
