package dev.iffleet.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** The parsed {@code pack.json} of a model pack: components, tokenizers and per-stage settings. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackManifest(
        String format,
        String name,
        String description,
        Map<String, TokenizerSpec> tokenizers,
        Map<String, ComponentSpec> components,
        Map<String, StageSpec> stages) {

    /** A tokenizer file and how its output is padded. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenizerSpec(String file, int maxLength, long padId) {}

    /**
     * One TorchScript module. {@code files} optionally names a file per dtype ({@code float16}) for
     * runtimes that ask for one; {@code file} is the float32 module.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ComponentSpec(String file, Map<String, String> files, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

    /** Name, dtype and shape of one input or output; symbolic dims are strings such as "B" or "H". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TensorSpec(String name, String dtype, List<Object> shape) {}

    /** Settings of one cascade stage: which components it runs and its default size, steps and guidance. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StageSpec(
            Map<String, String> components,
            String tokenizer,
            Integer embeddingDim,
            Integer width,
            Integer height,
            Integer steps,
            String timesteps,
            Double guidanceScale,
            Integer noiseLevel,
            Double vaeScaleFactor,
            Integer latentChannels,
            SchedulerSpec scheduler,
            SchedulerSpec noisingScheduler) {}

    /** Scheduler settings as diffusers names them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SchedulerSpec(
            String type,
            String betaSchedule,
            Double betaStart,
            Double betaEnd,
            String varianceType,
            String predictionType,
            String timestepSpacing,
            Integer stepsOffset,
            Double dynamicThresholdingRatio,
            Double sampleMaxValue) {}
}
