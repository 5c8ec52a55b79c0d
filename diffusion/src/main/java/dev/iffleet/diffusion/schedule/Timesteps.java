package dev.iffleet.diffusion.schedule;

import java.util.Arrays;
import java.util.Locale;

/** Produces the descending timestep lists the IF cascade samples over: leading spacing, IF's named respacings, img2img tails. */
public final class Timesteps {

    private static final String SUFFIX = "_timesteps";

    private Timesteps() {}

    /**
     * diffusers' "leading" spacing (DDPM/DDIM set_timesteps): step_ratio = 1000 // N,
     * timesteps = (arange(0, N) * step_ratio).round()[::-1] + steps_offset.
     */
    public static int[] leading(int numInferenceSteps, int stepsOffset) {
        if (numInferenceSteps < 1 || numInferenceSteps > NoiseSchedules.TRAIN_STEPS) {
            throw new IllegalArgumentException("numInferenceSteps must be in 1..1000: " + numInferenceSteps);
        }
        int ratio = NoiseSchedules.TRAIN_STEPS / numInferenceSteps;
        int[] out = new int[numInferenceSteps];
        for (int i = 0; i < numInferenceSteps; i++) {
            out[i] = (numInferenceSteps - 1 - i) * ratio + stepsOffset;
        }
        return out;
    }

    /**
     * One of IF's named respacings from diffusers' deepfloyd_if/timesteps.py: fast27, smart27, smart50,
     * smart100, smart185, super27, super40, super100 (a trailing "_timesteps" is accepted too).
     */
    public static int[] named(String name) {
        String key = name.toLowerCase(Locale.ROOT).trim();
        if (key.endsWith(SUFFIX)) {
            key = key.substring(0, key.length() - SUFFIX.length());
        }
        int[] table = IfTimestepTables.BY_NAME.get(key);
        if (table == null) {
            throw new IllegalArgumentException("unknown IF timestep respacing: " + name);
        }
        return table.clone();
    }

    /**
     * The schedule a stage runs, by precedence: an explicit descending list, else a named IF respacing, else
     * {@code steps} with leading spacing.
     *
     * @param explicit the caller's list, or null
     * @param name a respacing name (the caller's or the model pack's default), or null
     */
    public static int[] resolve(int[] explicit, String name, int steps, int stepsOffset) {
        if (explicit != null) {
            return explicit.clone();
        }
        return name != null ? named(name) : leading(steps, stepsOffset);
    }

    /** Whether {@link #named(String)} knows this name. */
    public static boolean isNamed(String name) {
        String key = name.toLowerCase(Locale.ROOT).trim();
        if (key.endsWith(SUFFIX)) {
            key = key.substring(0, key.length() - SUFFIX.length());
        }
        return IfTimestepTables.BY_NAME.containsKey(key);
    }

    /**
     * The timesteps img2img/inpainting actually run for a given strength, as the IF img2img pipelines' get_timesteps:
     * init = min(int(N * strength), N); the last init entries of the list.
     */
    public static int[] tail(int[] timesteps, double strength) {
        int n = timesteps.length;
        int init = Math.min((int) (n * strength), n);
        int start = Math.max(n - init, 0);
        return Arrays.copyOfRange(timesteps, start, n);
    }
}
