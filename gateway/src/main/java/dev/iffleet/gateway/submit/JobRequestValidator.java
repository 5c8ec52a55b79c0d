package dev.iffleet.gateway.submit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a raw request body into valid {@link JobParams}, or an {@link InvalidRequestException} naming the field. */
public final class JobRequestValidator {

    public static final int MAX_PROMPT_CHARS = 4000;
    static final Set<Integer> OUTPUT_SIZES = Set.of(64, 256, 1024);
    static final int MAX_STEPS = 1000;
    static final double MAX_GUIDANCE = 50.0;
    /** The x4 upscaler was trained with noise levels up to 350 (diffusers' max_noise_level). */
    static final int MAX_UPSCALE_NOISE = 350;

    private static final ObjectMapper STRICT = Json.MAPPER.copy()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    private final SecureRandom seeds = new SecureRandom();

    public JobParams validate(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        JobRequest r;
        try {
            r = STRICT.readValue(body, JobRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException(path(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            throw new InvalidRequestException(path(e), "wrong type or value: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException(null, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (r == null) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        if (r.prompt() == null || r.prompt().isBlank()) {
            throw new InvalidRequestException("prompt", "prompt is required and must not be blank");
        }
        if (r.prompt().length() > MAX_PROMPT_CHARS) {
            throw new InvalidRequestException("prompt", "prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        if (r.negativePrompt() != null && r.negativePrompt().length() > MAX_PROMPT_CHARS) {
            throw new InvalidRequestException("negative_prompt", "negative_prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        int size = r.outputSize() == null ? 1024 : r.outputSize();
        if (!OUTPUT_SIZES.contains(size)) {
            throw new InvalidRequestException("output_size", "output_size must be 64, 256 or 1024");
        }
        if (r.seed() != null && r.seed() < 0) {
            throw new InvalidRequestException("seed", "seed must be zero or positive");
        }
        check("stage1", r.stage1(), false, 0);
        check("sr", r.sr(), true, 1000);
        check("upscale", r.upscale(), true, MAX_UPSCALE_NOISE);
        long seed = r.seed() != null ? r.seed() : seeds.nextLong() & Long.MAX_VALUE;
        return new JobParams(r.prompt(), r.negativePrompt(), seed, size, r.stage1(), r.sr(), r.upscale());
    }

    private static void check(String stage, StageOverrides o, boolean hasNoise, int maxNoise) {
        if (o == null) {
            return;
        }
        if (o.steps() != null && (o.steps() < 1 || o.steps() > MAX_STEPS)) {
            throw new InvalidRequestException(stage + ".steps", stage + ".steps must be between 1 and " + MAX_STEPS);
        }
        if (o.guidanceScale() != null && (o.guidanceScale().isNaN() || o.guidanceScale() < 0 || o.guidanceScale() > MAX_GUIDANCE)) {
            throw new InvalidRequestException(stage + ".guidance_scale", stage + ".guidance_scale must be between 0 and " + MAX_GUIDANCE);
        }
        if (o.noiseLevel() != null) {
            if (!hasNoise) {
                throw new InvalidRequestException(stage + ".noise_level", stage + " takes no noise_level");
            }
            if (o.noiseLevel() < 0 || o.noiseLevel() > maxNoise) {
                throw new InvalidRequestException(stage + ".noise_level", stage + ".noise_level must be between 0 and " + maxNoise);
            }
        }
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? null : p;
    }
}
