package dev.iffleet.gateway.submit;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.core.job.StageOverrides;

/**
 * The body of {@code POST /v1/jobs}, as the caller wrote it (nothing defaulted yet); {@code retention} is a number of
 * seconds or an ISO-8601 duration string such as {@code "PT2H"}.
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
        java.util.List<String> webhookEventsFilter) {}
