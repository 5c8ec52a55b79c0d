package dev.iffleet.gateway.submit;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Mode;
import dev.iffleet.core.job.ModeDefaults;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.queue.Json;
import dev.iffleet.gateway.webhook.WebhookDispatcher;
import dev.iffleet.gateway.webhook.WebhookUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** Largest seed drawn for a caller who gave none: 2^53 - 1, so a JavaScript client can resubmit it exactly. */
    static final long MAX_DRAWN_SEED = (1L << 53) - 1;

    private static final ObjectMapper STRICT = strictMapper();
    private final SecureRandom seeds = new SecureRandom();
    private final Duration maxRetention;
    private final List<String> webhookAllowHosts;
    private final InputImagesPolicy inputs;

    public JobRequestValidator() {
        this(Duration.ofDays(7));
    }

    /** @param maxRetention the longest {@code retention} a job may ask for */
    public JobRequestValidator(Duration maxRetention) {
        this(maxRetention, List.of());
    }

    /** @param webhookAllowHosts host names or CIDRs the SSRF guard lets webhooks reach (tests, private networks) */
    public JobRequestValidator(Duration maxRetention, List<String> webhookAllowHosts) {
        this(maxRetention, webhookAllowHosts, InputImagesPolicy.DEFAULT);
    }

    /** @param inputs how uploads are decoded and limited, and the operator's batch and watermark rules */
    public JobRequestValidator(Duration maxRetention, List<String> webhookAllowHosts, InputImagesPolicy inputs) {
        this.maxRetention = maxRetention;
        this.webhookAllowHosts = List.copyOf(webhookAllowHosts);
        this.inputs = inputs;
    }

    /**
     * Valid parameters, a fingerprint of what the caller asked (idempotency compares it; a drawn seed is not in
     * it) and the gateway-only fields of the job record (webhook settings).
     */
    public record Validated(JobParams params, String fingerprint, Map<String, String> recordFields,
            Map<String, byte[]> inputs) {}

    public JobParams validate(String body) {
        return check(body).params();
    }

    public Validated check(String body) {
        return check(body, Map.of());
    }

    /** @param uploads images sent as multipart parts ({@code image}, {@code mask}), raw bytes by part name */
    public Validated check(String body, Map<String, byte[]> uploads) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        JobRequest r;
        try {
            r = STRICT.readValue(body, JobRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException(path(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            // a syntax error inside a nested object comes wrapped with that object's path: it is still no field's fault
            if (e.getCause() instanceof JsonParseException syntax) {
                throw malformed(syntax);
            }
            throw new InvalidRequestException(path(e), "wrong type or value: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed(e);
        }
        if (r == null) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        Map<String, byte[]> raw = inputs.rawImages(r, uploads);
        Map<String, ImageDecoder.Decoded> decoded = inputs.decode(raw);
        ImageDecoder.Decoded image = decoded.get("image");
        ModeChecks.Shape shape = ModeChecks.check(r, image == null ? null : new int[] {image.width(), image.height()},
                decoded.containsKey("mask"), inputs.maxImages());
        boolean promptOptional = shape.mode() == Mode.UPSCALE;
        if (!promptOptional && (r.prompt() == null || r.prompt().isBlank())) {
            throw new InvalidRequestException("prompt", "prompt is required and must not be blank");
        }
        String prompt = r.prompt() == null ? "" : r.prompt();
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw new InvalidRequestException("prompt", "prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        if (r.negativePrompt() != null && r.negativePrompt().length() > MAX_PROMPT_CHARS) {
            throw new InvalidRequestException("negative_prompt", "negative_prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        if (r.seed() != null && r.seed() < 0) {
            throw new InvalidRequestException("seed", "seed must be zero or positive");
        }
        check("stage1", r.stage1(), false, 0);
        check("sr", r.sr(), true, 1000);
        check("upscale", r.upscale(), true, MAX_UPSCALE_NOISE);
        Long retention = retentionSeconds(r.retention());
        long seed = r.seed() != null ? r.seed() : seeds.nextLong() & MAX_DRAWN_SEED;
        if (Boolean.FALSE.equals(r.watermark()) && !inputs.allowWatermarkOff()) {
            throw new InvalidRequestException("watermark", "this gateway's operator does not allow watermark: false");
        }
        JobParams params = ModeDefaults.apply(new JobParams(prompt, r.negativePrompt(), seed,
                shape.last().outputSize(), r.stage1(), r.sr(), r.upscale(), retention, r.mode() == null ? null : shape.mode(),
                shape.numImages(), shape.width(), shape.height(),
                shape.mode() == Mode.UPSCALE ? shape.start() : null, r.watermark(), r.cleanCaption()));
        StepCounts.check(params);
        Map<String, byte[]> stored = new LinkedHashMap<>();
        decoded.forEach((name, d) -> stored.put(name, d.png()));
        return new Validated(params, sha256(Json.write(r.withoutImages()) + InputImagesPolicy.digest(raw)),
                webhookFields(r), stored);
    }

    /** The job-record fields the webhook dispatcher reads; the URL passes the SSRF guard here and again at send time. */
    private Map<String, String> webhookFields(JobRequest r) {
        if (r.webhook() == null) {
            if (r.webhookEventsFilter() != null) {
                throw new InvalidRequestException("webhook_events_filter", "webhook_events_filter needs a webhook");
            }
            return Map.of();
        }
        try {
            WebhookUrls.check(r.webhook(), webhookAllowHosts);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("webhook", e.getMessage());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(WebhookDispatcher.URL_FIELD, r.webhook());
        if (r.webhookEventsFilter() != null) {
            for (String f : r.webhookEventsFilter()) {
                if (f == null || !WebhookDispatcher.FILTERS.contains(f)) {
                    throw new InvalidRequestException("webhook_events_filter",
                            "webhook_events_filter entries must be start, stage, progress or completed, got '" + f + "'");
                }
            }
            fields.put(WebhookDispatcher.EVENTS_FIELD, String.join(",", r.webhookEventsFilter()));
        }
        return fields;
    }

    private Long retentionSeconds(Object retention) {
        if (retention == null) {
            return null;
        }
        long seconds;
        if (retention instanceof Integer || retention instanceof Long) {
            seconds = ((Number) retention).longValue();
        } else if (retention instanceof String iso) {
            try {
                seconds = Duration.parse(iso).getSeconds();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("retention", "retention must be a number of seconds or an ISO-8601 duration such as PT2H");
            }
        } else {
            throw new InvalidRequestException("retention", "retention must be a number of seconds or an ISO-8601 duration such as PT2H");
        }
        if (seconds < 1 || seconds > maxRetention.getSeconds()) {
            throw new InvalidRequestException("retention", "retention must be between 1 second and " + maxRetention.getSeconds() + " seconds");
        }
        return seconds;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InvalidRequestException malformed(IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new InvalidRequestException(null, "malformed JSON: " + String.valueOf(why).lines().findFirst().orElse(""));
    }

    /** Jackson is lenient by default; a job request is taken only as written, with each value of its JSON type. */
    private static ObjectMapper strictMapper() {
        ObjectMapper m = Json.MAPPER.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            m.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
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
