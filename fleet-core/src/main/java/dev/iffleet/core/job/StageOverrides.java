package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Per-job sampling knobs of one stage; a null field means "the mode's or the model pack's default".
 *
 * @param timesteps an explicit schedule; when set it replaces {@code steps}
 * @param strength img2img/inpainting: share of the schedule that is run, in (0, 1]
 * @param previewEvery stage I/II: publish the predicted clean image (x0) every this many steps
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageOverrides(
        Integer steps, Double guidanceScale, Integer noiseLevel, Double strength, TimestepSchedule timesteps,
        Integer previewEvery) {

    public static final StageOverrides NONE = new StageOverrides(null, null, null, null, null, null);

    public StageOverrides(Integer steps, Double guidanceScale, Integer noiseLevel) {
        this(steps, guidanceScale, noiseLevel, null, null, null);
    }

    public StageOverrides(Integer steps, Double guidanceScale, Integer noiseLevel, Double strength,
            TimestepSchedule timesteps) {
        this(steps, guidanceScale, noiseLevel, strength, timesteps, null);
    }

    /** Steps between x0 previews of a pixel-space stage (stage I, II); 0 or unset: none. */
    public int previewEveryOr0() {
        return previewEvery == null ? 0 : previewEvery;
    }

    public int stepsOr(int fallback) {
        return steps != null ? steps : fallback;
    }

    public float guidanceOr(double fallback) {
        return (float) (guidanceScale != null ? guidanceScale : fallback);
    }

    public int noiseLevelOr(int fallback) {
        return noiseLevel != null ? noiseLevel : fallback;
    }

    public double strengthOr(double fallback) {
        return strength != null ? strength : fallback;
    }

    /**
     * What a DDPM stage runs, by precedence: the caller's schedule (list or name), else the caller's step count,
     * else the pack's named respacing, else the pack's step count. Exactly one of explicit/name applies, or neither
     * (then {@code steps} with leading spacing).
     */
    public record Schedule(int[] explicit, String name, int steps) {}

    public Schedule schedule(String packTimesteps, int packSteps) {
        if (timesteps != null) {
            return new Schedule(timesteps.explicitArray(), timesteps.name(), packSteps);
        }
        if (steps != null) {
            return new Schedule(null, null, steps);
        }
        return new Schedule(null, packTimesteps, packSteps);
    }

    /** These overrides with the gaps filled from {@code defaults} (a caller's value always wins). */
    public StageOverrides orElse(StageOverrides defaults) {
        return new StageOverrides(
                steps != null || timesteps != null ? steps : defaults.steps,
                guidanceScale != null ? guidanceScale : defaults.guidanceScale,
                noiseLevel != null ? noiseLevel : defaults.noiseLevel,
                strength != null ? strength : defaults.strength,
                timesteps != null || steps != null ? timesteps : defaults.timesteps,
                previewEvery != null ? previewEvery : defaults.previewEvery);
    }
}
