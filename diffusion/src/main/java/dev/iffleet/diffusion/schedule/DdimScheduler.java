package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;

/**
 * Runs the x4 upscaler's denoising steps: diffusers' DDIMScheduler with scaled_linear betas, v-prediction,
 * eta 0, set_alpha_to_one False, steps_offset 1 and no clipping.
 */
public final class DdimScheduler {

    /** steps_offset of the x4 upscaler's scheduler config. */
    public static final int X4_STEPS_OFFSET = 1;

    private final float[] alphasCumprod;
    private final int numInferenceSteps;
    private final int stepsOffset;
    private final float finalAlphaCumprod;

    /**
     * @param alphasCumprod the training schedule (x4: {@link NoiseSchedules#scaledLinear()})
     * @param numInferenceSteps N; steps go from t to t - 1000 // N
     * @param stepsOffset added to the leading timesteps (x4: 1)
     */
    public DdimScheduler(float[] alphasCumprod, int numInferenceSteps, int stepsOffset) {
        this.alphasCumprod = alphasCumprod.clone();
        this.numInferenceSteps = numInferenceSteps;
        this.stepsOffset = stepsOffset;
        // set_alpha_to_one=False: the step past the first timestep uses alphas_cumprod[0].
        this.finalAlphaCumprod = alphasCumprod[0];
    }

    /** The x4 upscaler's scheduler with N inference steps. */
    public static DdimScheduler forX4Upscaler(int numInferenceSteps) {
        return new DdimScheduler(NoiseSchedules.scaledLinear(), numInferenceSteps, X4_STEPS_OFFSET);
    }

    /** The leading-spacing timesteps this scheduler runs (set_timesteps(N)). */
    public int[] timesteps() {
        return Timesteps.leading(numInferenceSteps, stepsOffset);
    }

    /**
     * One deterministic DDIM step (Song et al. 2021, eq. 12 with sigma = 0) from v-prediction
     * (Salimans &amp; Ho 2022): x0 = sqrt(a)*x - sqrt(1-a)*v, eps = sqrt(a)*v + sqrt(1-a)*x.
     */
    public StepResult step(NDArray modelOutput, int t, NDArray sample) {
        int prevT = t - NoiseSchedules.TRAIN_STEPS / numInferenceSteps;
        float alphaProdT = alphasCumprod[t];
        float alphaProdPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(1f - alphaProdT);

        NDArray predOriginal = sample.mul(sqrtAlpha).sub(modelOutput.mul(sqrtBeta));
        NDArray predEpsilon = modelOutput.mul(sqrtAlpha).add(sample.mul(sqrtBeta));
        // eta = 0, so std_dev_t = 0 and the direction term is sqrt(1 - a_prev) * eps.
        NDArray direction = predEpsilon.mul((float) Math.sqrt(1f - alphaProdPrev));
        NDArray prev = predOriginal.mul((float) Math.sqrt(alphaProdPrev)).add(direction);
        return new StepResult(prev, predOriginal);
    }
}
