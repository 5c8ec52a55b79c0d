package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

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
     * (Salimans &amp; Ho 2022): x0 = sqrt(a)*x - sqrt(1-a)*v, eps = sqrt(a)*v + sqrt(1-a)*x. Makes the step's
     * coefficients on the spot; a sampling loop uses {@link #table} and the indexed overload instead.
     */
    public StepResult step(NDArray modelOutput, int t, NDArray sample) {
        try (NDManager tmp = sample.getManager().newSubManager()) {
            return step(modelOutput, 0, sample, table(tmp, new int[] {t}));
        }
    }

    /**
     * The per-step coefficients of a run over {@link #timesteps()}, as 0-d float32 arrays in manager (on the
     * latents' device). Why: in DJL each Number operand is a blocking host-to-device copy plus a sync on a GPU;
     * made once, a step issues device work only. Same float32 values as ever, so CPU results are bit-identical.
     */
    public NDArray[][] table(NDManager manager) {
        return table(manager, timesteps());
    }

    private NDArray[][] table(NDManager manager, int[] timesteps) {
        NDArray[][] out = new NDArray[timesteps.length][];
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            int prevT = t - NoiseSchedules.TRAIN_STEPS / numInferenceSteps;
            float alphaProdT = alphasCumprod[t];
            float alphaProdPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
            out[i] = new NDArray[] {manager.create((float) Math.sqrt(alphaProdT)),
                manager.create((float) Math.sqrt(1f - alphaProdT)),
                manager.create((float) Math.sqrt(1f - alphaProdPrev)),
                manager.create((float) Math.sqrt(alphaProdPrev))};
        }
        return out;
    }

    /** {@link #step(NDArray, int, NDArray)} for the stepIndex-th timestep with a premade {@link #table}. */
    public StepResult step(NDArray modelOutput, int stepIndex, NDArray sample, NDArray[][] table) {
        NDArray[] k = table[stepIndex];
        NDArray predOriginal = sample.mul(k[0]).sub(modelOutput.mul(k[1]));
        NDArray predEpsilon = modelOutput.mul(k[0]).add(sample.mul(k[1]));
        // eta = 0, so std_dev_t = 0 and the direction term is sqrt(1 - a_prev) * eps.
        NDArray direction = predEpsilon.mul(k[2]);
        NDArray prev = predOriginal.mul(k[3]).add(direction);
        return new StepResult(prev, predOriginal);
    }
}
