package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;

/** Forward-diffuses a clean sample to timestep t (diffusers' add_noise), used for stage-II/x4 conditioning and img2img starts. */
public final class NoiseAugment {

    private NoiseAugment() {}

    /**
     * q(x_t | x_0) = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * noise (Ho et al. 2020, eq. 4), with the
     * scalar factors in float32 as diffusers' add_noise computes them. The result lives in x0's manager.
     */
    public static NDArray addNoise(NDArray x0, NDArray noise, int t, float[] alphasCumprod) {
        float abar = alphasCumprod[t];
        float sqrtAlpha = (float) Math.sqrt(abar);
        float sqrtOneMinus = (float) Math.sqrt(1f - abar);
        return x0.mul(sqrtAlpha).add(noise.mul(sqrtOneMinus));
    }
}
