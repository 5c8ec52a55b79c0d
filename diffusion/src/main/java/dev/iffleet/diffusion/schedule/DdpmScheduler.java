package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
     * mean; Nichol &amp; Dhariwal 2021 eq. 15 learned-range variance). Makes that step's coefficients as
     * arrays on the spot; a sampling loop uses {@link #table} and the indexed overload instead.
     *
     * @param modelOutput (B, 2C, H, W): epsilon then the variance value v in [-1, 1]
     * @param t the current timestep, one of {@link #timesteps()}
     * @param sample x_t, (B, C, H, W)
     * @param noise standard normal (B, C, H, W), used only when t &gt; 0 (may be null when t == 0)
     */
    public StepResult step(NDArray modelOutput, int t, NDArray sample, NDArray noise) {
        try (NDManager tmp = sample.getManager().newSubManager()) {
            return step(modelOutput, 0, sample, noise, new DdpmStepTable(tmp, this, new int[] {t}, sample.getShape()));
        }
    }

    /**
     * The per-step coefficients of a run over {@link #timesteps()} as arrays in manager, for samples of the given
     * shape (only its per-sample size matters; the batch may shrink during the run).
     */
    public DdpmStepTable table(NDManager manager, Shape sampleShape) {
        return new DdpmStepTable(manager, this, timesteps, sampleShape);
    }

    /**
     * {@link #step(NDArray, int, NDArray, NDArray)} for the stepIndex-th timestep with premade coefficients: the
     * same float32 operations on the same values (a Number operand is a 0-d array of that value in DJL), without
     * the per-operation host-to-device copies.
     */
    public StepResult step(NDArray modelOutput, int stepIndex, NDArray sample, NDArray noise, DdpmStepTable k) {
        long channels = sample.getShape().get(1);
        NDList parts = modelOutput.split(new long[] {channels}, 1);
        NDArray eps = parts.get(0);
        NDArray predictedVariance = parts.get(1);

        // Epsilon prediction: x0 = (x_t - sqrt(1 - a_bar_t) * eps) / sqrt(a_bar_t).
        NDArray predOriginal = sample.sub(eps.mul(k.sqrtBetaProd(stepIndex))).div(k.sqrtAlphaProd(stepIndex));
        predOriginal = threshold.apply(predOriginal, k.threshold());

        // Posterior mean coefficients (Ho et al. 2020, eq. 7).
        NDArray prev = predOriginal.mul(k.origCoeff(stepIndex)).add(sample.mul(k.sampleCoeff(stepIndex)));

        if (k.noisy(stepIndex)) {
            if (noise == null) {
                throw new IllegalArgumentException("noise is required for t > 0");
            }
            // learned_range: log-variance interpolates between the posterior variance and beta_t.
            NDArray frac = predictedVariance.add(k.one()).div(k.two());
            NDArray logVar = frac.mul(k.maxLog(stepIndex)).add(frac.neg().add(k.one()).mul(k.minLog(stepIndex)));
            prev = prev.add(logVar.mul(k.half()).exp().mul(noise));
        }
        return new StepResult(prev, predOriginal);
    }

    /**
     * The host float32 scalars of the step at t, as diffusers computes them (alphas_cumprod is a float32
     * tensor there): sqrt(1 - a_bar_t), sqrt(a_bar_t), the posterior-mean coefficients, and for t &gt; 0 the
     * learned range's log bounds.
     */
    float[] coefficients(int t) {
        int prevT = previousTimestep(t);
        float alphaProdT = alphasCumprod[t];
        float alphaProdPrev = prevT >= 0 ? alphasCumprod[prevT] : 1f;
        float betaProdT = 1f - alphaProdT;
        float betaProdPrev = 1f - alphaProdPrev;
        float currentAlphaT = alphaProdT / alphaProdPrev;
        float currentBetaT = 1f - currentAlphaT;
        float origCoeff = sqrt(alphaProdPrev) * currentBetaT / betaProdT;
        float sampleCoeff = sqrt(currentAlphaT) * betaProdPrev / betaProdT;
        float posteriorVar = Math.max(betaProdPrev / betaProdT * currentBetaT, 1e-20f);
        float minLog = (float) Math.log(posteriorVar);
        float maxLog = (float) Math.log(currentBetaT);
        return new float[] {sqrt(betaProdT), sqrt(alphaProdT), origCoeff, sampleCoeff, maxLog, minLog};
    }

    DynamicThreshold threshold() {
        return threshold;
    }

    private static float sqrt(float v) {
        return (float) Math.sqrt(v);
    }
}
