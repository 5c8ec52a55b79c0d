package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Combines the [uncond, cond] halves of a doubled-batch model output by classifier-free guidance. */
public final class Guidance {

    private Guidance() {}

    /**
     * For UNets that also predict a variance (IF stages I/II): modelOutput (2B, 2C, H, W), batch order
     * [uncond, cond]; returns (B, 2C, H, W) with eps = eps_u + g * (eps_c - eps_u) (Ho &amp; Salimans 2022, eq. 6)
     * in the first C channels and the cond branch's variance channels after them, as diffusers' IF pipelines do.
     */
    public static NDArray learnedVariance(NDArray modelOutput, float g) {
        NDList halves = halves(modelOutput);
        long channels = modelOutput.getShape().get(1) / 2;
        NDList uncond = halves.get(0).split(new long[] {channels}, 1);
        NDList cond = halves.get(1).split(new long[] {channels}, 1);
        NDArray eps = combine(uncond.get(0), cond.get(0), g);
        return NDArrays.concat(new NDList(eps, cond.get(1)), 1);
    }

    /** Plain guidance (x4 upscaler): modelOutput (2B, C, H, W) [uncond, cond] -> (B, C, H, W). */
    public static NDArray plain(NDArray modelOutput, float g) {
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

    private static NDArray combine(NDArray uncond, NDArray cond, float g) {
        return uncond.add(cond.sub(uncond).mul(g));
    }
}
