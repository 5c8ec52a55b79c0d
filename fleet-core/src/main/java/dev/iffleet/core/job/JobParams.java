package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;

/**
 * What a caller asked for, after validation and with the seed fixed: travels with every stage message
 * so a worker never needs the gateway.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobParams(
        String prompt,
        String negativePrompt,
        long seed,
        int outputSize,
        StageOverrides stage1,
        StageOverrides sr,
        StageOverrides upscale,
        Long retentionSeconds) {

    /** A job kept for the fleet's default retention. */
    public JobParams(String prompt, String negativePrompt, long seed, int outputSize,
            StageOverrides stage1, StageOverrides sr, StageOverrides upscale) {
        this(prompt, negativePrompt, seed, outputSize, stage1, sr, upscale, null);
    }

    public JobParams {
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        stage1 = stage1 == null ? StageOverrides.NONE : stage1;
        sr = sr == null ? StageOverrides.NONE : sr;
        upscale = upscale == null ? StageOverrides.NONE : upscale;
    }

    /** How long the job's record and artifacts live: the caller's {@code retention}, else {@code fallback}. */
    public Duration retention(Duration fallback) {
        return retentionSeconds == null ? fallback : Duration.ofSeconds(retentionSeconds);
    }

    /** The overrides of one diffusion stage (the encoder has none). */
    public StageOverrides overrides(Stage stage) {
        return switch (stage) {
            case STAGE1 -> stage1;
            case SR -> sr;
            case UPSCALE -> upscale;
            case ENCODE -> StageOverrides.NONE;
        };
    }

    /** The stage whose output the caller wants; the job ends there. */
    public Stage lastStage() {
        return Stage.deliveringSize(outputSize);
    }

    /** Seed of one stage's noise: stages draw independent streams from the job's one seed. */
    public long seedFor(Stage stage) {
        return seed * 1_000_003L + stage.ordinal();
    }
}
