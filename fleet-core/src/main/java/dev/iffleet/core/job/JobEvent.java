package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/** A progress or state change of a job, published on {@code if.events} for the gateway. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(String jobId, Stage stage, Type type, Integer step, Integer totalSteps, String message, long at) {

    /** What happened. */
    public enum Type {
        STAGE_STARTED,
        PROGRESS,
        /** A stage's x0 prediction (its current guess of the finished image) was stored as a preview. */
        PREVIEW,
        STAGE_COMPLETED,
        SUCCEEDED,
        FAILED,
        CANCELED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '.');
        }
    }

    public static JobEvent of(String jobId, Stage stage, Type type, long at) {
        return new JobEvent(jobId, stage, type, null, null, null, at);
    }

    public static JobEvent progress(String jobId, Stage stage, int step, int total, long at) {
        return new JobEvent(jobId, stage, Type.PROGRESS, step, total, null, at);
    }

    public static JobEvent preview(String jobId, Stage stage, int step, int total, long at) {
        return new JobEvent(jobId, stage, Type.PREVIEW, step, total, null, at);
    }

    public static JobEvent failed(String jobId, Stage stage, String reason, long at) {
        return new JobEvent(jobId, stage, Type.FAILED, null, null, reason, at);
    }

    public static JobEvent canceled(String jobId, Stage stage, long at) {
        return new JobEvent(jobId, stage, Type.CANCELED, null, null, null, at);
    }
}
