package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;

/**
 * What a caller asked for, after validation and with the seed fixed: travels with every stage message
 * so a worker never needs the gateway.
 *
 * @param outputSize the stage the job stops after, by its default output side: 64 (stage I), 256 (sr), 1024 (x4)
 * @param mode which IF pipeline; null means text-to-image
 * @param numImages images per prompt, batched through every stage (null = 1)
 * @param width stage-I width in px (multiple of 8); later stages are 4x and 16x; null = the pack's (or the input's)
 * @param height stage-I height, likewise
 * @param startStage upscale mode only: the first diffusion stage, {@code sr} or {@code upscale} (null = sr)
 * @param watermark whether delivered PNGs carry the visible watermark (null = yes)
 * @param cleanCaption whether the encoder cleans the prompt as IF's reference does (null = yes)
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
        Long retentionSeconds,
        Mode mode,
        Integer numImages,
        Integer width,
        Integer height,
        Stage startStage,
        Boolean watermark,
        Boolean cleanCaption) {

    /** A text-to-image job kept for the fleet's default retention. */
    public JobParams(String prompt, String negativePrompt, long seed, int outputSize,
            StageOverrides stage1, StageOverrides sr, StageOverrides upscale) {
        this(prompt, negativePrompt, seed, outputSize, stage1, sr, upscale, null);
    }

    /** A text-to-image job of one image at the pack's size. */
    public JobParams(String prompt, String negativePrompt, long seed, int outputSize,
            StageOverrides stage1, StageOverrides sr, StageOverrides upscale, Long retentionSeconds) {
        this(prompt, negativePrompt, seed, outputSize, stage1, sr, upscale, retentionSeconds,
                null, null, null, null, null, null, null);
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

    /** The pipeline this job runs (text-to-image when unset). */
    @JsonIgnore
    public Mode effectiveMode() {
        return mode == null ? Mode.TEXT_TO_IMAGE : mode;
    }

    /** Images per prompt. */
    @JsonIgnore
    public int images() {
        return numImages == null ? 1 : numImages;
    }

    public boolean watermarked() {
        return watermark == null || watermark;
    }

    public boolean cleansCaption() {
        return cleanCaption == null || cleanCaption;
    }

    /** The stage whose output the caller wants; the job ends there. */
    public Stage lastStage() {
        return Stage.deliveringSize(outputSize);
    }

    /** The first diffusion stage: stage I except for upscale-only jobs. */
    @JsonIgnore
    public Stage firstDiffusionStage() {
        return effectiveMode() == Mode.UPSCALE ? (startStage == null ? Stage.SR : startStage) : Stage.STAGE1;
    }

    /** Whether this job runs {@code stage} at all (every job runs the encoder, which routes it on). */
    public boolean runs(Stage stage) {
        return stage == Stage.ENCODE
                || (stage.compareTo(firstDiffusionStage()) >= 0 && stage.compareTo(lastStage()) <= 0);
    }

    /** The stage after {@code stage} for this job: the encoder hands on to the first diffusion stage. */
    public Stage stageAfter(Stage stage) {
        if (stage == Stage.ENCODE) {
            return firstDiffusionStage();
        }
        return stage.next().orElseThrow(() -> new IllegalStateException(stage + " is the last stage"));
    }

    /** Seed of one stage's noise: stages draw independent streams from the job's one seed. */
    public long seedFor(Stage stage) {
        return seedFor(stage, 0);
    }

    /**
     * Seed of image {@code index}'s noise at a stage: image i of a batch draws what a one-image job with seed
     * {@code seed + i} draws, so any image of a batch can be reproduced alone.
     */
    public long seedFor(Stage stage, int index) {
        return (seed + index) * 1_000_003L + stage.ordinal();
    }

    /** The per-image seeds of a stage, image 0 first. */
    public long[] seedsFor(Stage stage) {
        long[] seeds = new long[images()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = seedFor(stage, i);
        }
        return seeds;
    }
}
