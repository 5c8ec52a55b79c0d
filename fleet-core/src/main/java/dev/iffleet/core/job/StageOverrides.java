package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Per-job sampling knobs of one stage; a null field means "the model pack's default". */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageOverrides(Integer steps, Double guidanceScale, Integer noiseLevel) {

    public static final StageOverrides NONE = new StageOverrides(null, null, null);

    public int stepsOr(int fallback) {
        return steps != null ? steps : fallback;
    }

    public float guidanceOr(double fallback) {
        return (float) (guidanceScale != null ? guidanceScale : fallback);
    }

    public int noiseLevelOr(int fallback) {
        return noiseLevel != null ? noiseLevel : fallback;
    }
}
