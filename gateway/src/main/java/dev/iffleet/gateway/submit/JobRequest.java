package dev.iffleet.gateway.submit;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.core.job.StageOverrides;
import java.util.List;

/**
 * The body of {@code POST /v1/jobs}, as the caller wrote it (nothing defaulted yet); {@code retention} is a number of
 * seconds or an ISO-8601 duration string such as {@code "PT2H"}; {@code image} and {@code mask} are base64 or
 * {@code data:} URLs (or multipart parts of the same names).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobRequest(
        String prompt,
        String negativePrompt,
        Long seed,
        Integer outputSize,
        StageOverrides stage1,
        StageOverrides sr,
        StageOverrides upscale,
        Object retention,
        String webhook,
        List<String> webhookEventsFilter,
        String mode,
        String image,
        String mask,
        Integer numImages,
        Integer width,
        Integer height,
        String startStage,
        String stopAfter,
        Boolean watermark,
        Boolean cleanCaption) {

    /** The request without its inline images (they are fingerprinted by content, not by encoding). */
    JobRequest withoutImages() {
        return new JobRequest(prompt, negativePrompt, seed, outputSize, stage1, sr, upscale, retention, webhook,
                webhookEventsFilter, mode, null, null, numImages, width, height, startStage, stopAfter, watermark,
                cleanCaption);
    }
}
