package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Runs IF stage I/II denoising steps: diffusers' DDPMScheduler with epsilon prediction, learned_range variance
 * and dynamic thresholding, over an arbitrary descending timestep list (leading spacing or an IF respacing).
 */
public final class DdpmScheduler {

    /** IF's dynamic_thresholding_ratio for both stages. */
    public static final double IF_THRESHOLD_RATIO = 0.95;
    /** sample_max_value of stage I. */
    public static final double STAGE1_SAMPLE_MAX = 1.5;
    /** sample_max_value of stage II. */
    public static final double STAGE2_SAMPLE_MAX = 1.0;

    private final float[] alphasCumprod;
    private final int[] timesteps;
    private final DynamicThreshold threshold;

    /**
     * @param alphasCumprod the training schedule (IF: {@link NoiseSchedules#squaredcosCapV2()})
     * @param timesteps the descending timesteps this scheduler will be stepped through
     * @param thresholdRatio dynamic_thresholding_ratio
     * @param sampleMax sample_max_value
     */
    public DdpmScheduler(float[] alphasCumprod, int[] timesteps, double thresholdRatio, double sampleMax) {
        if (timesteps.length == 0) {
            throw new IllegalArgumentException("timesteps must not be empty");
        }
        this.alphasCumprod = alphasCumprod.clone();
        this.timesteps = timesteps.clone();
        this.threshold = new DynamicThreshold(thresholdRatio, sampleMax);
    }

    /** Stage-I scheduler (sample_max 1.5) over the given timesteps. */
    public static DdpmScheduler stage1(int[] timesteps) {
        return new DdpmScheduler(NoiseSchedules.squaredcosCapV2(), timesteps, IF_THRESHOLD_RATIO, STAGE1_SAMPLE_MAX);
    }

    /** Stage-II scheduler (sample_max 1.0) over the given timesteps. */
    public static DdpmScheduler stage2(int[] timesteps) {
        return new DdpmScheduler(NoiseSchedules.squaredcosCapV2(), timesteps, IF_THRESHOLD_RATIO, STAGE2_SAMPLE_MAX);
    }

    /** A copy of the timesteps this scheduler steps through. */
    public int[] timesteps() {
        return timesteps.clone();
    }

    /**
     * diffusers' previous_timestep for custom/set timesteps: the entry after the first occurrence of t,
     * or -1 after the last one (meaning alpha_bar_prev = 1).
     */
    public int previousTimestep(int t) {
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                return i == timesteps.length - 1 ? -1 : timesteps[i + 1];
            }
        }
        throw new IllegalArgumentException("timestep " + t + " is not in this scheduler's list");
    }

    /** Dynamic thresholding alone (diffusers' _threshold_sample) with this scheduler's settings. */
    public NDArray thresholdSample(NDArray predOriginal) {
        return threshold.apply(predOriginal);
    }

    /**
     * One reverse step x_t -> x_{t-1}, mirroring diffusers DDPMScheduler.step (Ho et al. 2020 eq. 7 posterior
     * mean; Nichol &amp; Dhariwal 2021 eq. 15 learned-range variance).
     *
     * @param modelOutput (B, 2C, H, W): epsilon then the variance value v in [-1, 1]
     * @param t the current timestep, one of {@link #timesteps()}
     * @param sample x_t, (B, C, H, W)
     * @param noise standard normal (B, C, H, W), used only when t &gt; 0 (may be null when t == 0)
     */
    public StepResult step(NDArray modelOutput, int t, NDArray sample, NDArray noise) {
        long channels = sample.getShape().get(1);
        NDList parts = modelOutput.split(new long[] {channels}, 1);
        NDArray eps = parts.get(0);
        NDArray predictedVariance = parts.get(1);

        int prevT = previousTimestep(t);
        // Scalars in float32, as diffusers keeps alphas_cumprod as a float32 tensor.
        float alphaProdT = alphasCumprod[t];
        float alphaProdPrev = prevT >= 0 ? alphasCumprod[prevT] : 1f;
        float betaProdT = 1f - alphaProdT;
        float betaProdPrev = 1f - alphaProdPrev;
        float currentAlphaT = alphaProdT / alphaProdPrev;
        float currentBetaT = 1f - currentAlphaT;

        // Epsilon prediction: x0 = (x_t - sqrt(1 - a_bar_t) * eps) / sqrt(a_bar_t).
        NDArray predOriginal = sample.sub(eps.mul(sqrt(betaProdT))).div(sqrt(alphaProdT));
        predOriginal = threshold.apply(predOriginal);

        // Posterior mean coefficients (Ho et al. 2020, eq. 7).
        float origCoeff = sqrt(alphaProdPrev) * currentBetaT / betaProdT;
        float sampleCoeff = sqrt(currentAlphaT) * betaProdPrev / betaProdT;
        NDArray prev = predOriginal.mul(origCoeff).add(sample.mul(sampleCoeff));

        if (t > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("noise is required for t > 0");
            }
            // learned_range: log-variance interpolates between the posterior variance and beta_t.
            float posteriorVar = Math.max(betaProdPrev / betaProdT * currentBetaT, 1e-20f);
            float minLog = (float) Math.log(posteriorVar);
            float maxLog = (float) Math.log(currentBetaT);
            NDArray frac = predictedVariance.add(1f).div(2f);
            NDArray logVar = frac.mul(maxLog).add(frac.neg().add(1f).mul(minLog));
            prev = prev.add(logVar.mul(0.5f).exp().mul(noise));
        }
        return new StepResult(prev, predOriginal);
    }

    private static float sqrt(float v) {
        return (float) Math.sqrt(v);
    }
}
