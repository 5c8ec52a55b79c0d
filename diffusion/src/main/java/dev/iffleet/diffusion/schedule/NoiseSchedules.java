package dev.iffleet.diffusion.schedule;

/** Builds the 1000-step alphas_cumprod tables of the IF cascade's schedulers, bit-for-bit as diffusers does in float32. */
public final class NoiseSchedules {

    /** Number of training timesteps of every IF model (diffusers' num_train_timesteps). */
    public static final int TRAIN_STEPS = 1000;

    private static final double MAX_BETA = 0.999;

    private NoiseSchedules() {}

    /**
     * alphas_cumprod for beta_schedule "squaredcos_cap_v2" (IF stages I/II and their noise augmentation).
     * Betas come from diffusers' betas_for_alpha_bar (cosine alpha_bar, Nichol &amp; Dhariwal 2021, eq. 17),
     * computed in double, capped at 0.999, then cast to float32 as torch.tensor(betas, dtype=float32) does.
     */
    public static float[] squaredcosCapV2() {
        float[] betas = new float[TRAIN_STEPS];
        for (int i = 0; i < TRAIN_STEPS; i++) {
            double t1 = (double) i / TRAIN_STEPS;
            double t2 = (double) (i + 1) / TRAIN_STEPS;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), MAX_BETA);
        }
        return cumprod(betas);
    }

    /** alphas_cumprod for "scaled_linear" with the x4 upscaler's defaults beta_start 1e-4, beta_end 0.02. */
    public static float[] scaledLinear() {
        return scaledLinear(1e-4, 0.02);
    }

    /**
     * alphas_cumprod for "scaled_linear": betas = linspace(sqrt(start), sqrt(end), 1000, float32)^2,
     * as diffusers' DDPM/DDIM schedulers define it.
     */
    public static float[] scaledLinear(double betaStart, double betaEnd) {
        float[] roots = linspaceFloat32((float) Math.sqrt(betaStart), (float) Math.sqrt(betaEnd), TRAIN_STEPS);
        float[] betas = new float[TRAIN_STEPS];
        for (int i = 0; i < TRAIN_STEPS; i++) {
            betas[i] = roots[i] * roots[i];
        }
        return cumprod(betas);
    }

    /** Widens a float32 table to double, for callers that prefer double scalar maths. */
    public static double[] toDouble(float[] table) {
        double[] out = new double[table.length];
        for (int i = 0; i < table.length; i++) {
            out[i] = table[i];
        }
        return out;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** alphas = 1 - betas and torch.cumprod, both in float32 like the reference. */
    private static float[] cumprod(float[] betas) {
        float[] out = new float[betas.length];
        float acc = 1f;
        for (int i = 0; i < betas.length; i++) {
            acc *= 1f - betas[i];
            out[i] = acc;
        }
        return out;
    }

    /** torch.linspace in float32: first half counted up from start, second half down from end. */
    private static float[] linspaceFloat32(float start, float end, int steps) {
        float step = (end - start) / (steps - 1);
        float[] out = new float[steps];
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
        }
        return out;
    }
}
