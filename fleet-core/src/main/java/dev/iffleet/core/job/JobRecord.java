package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.core.queue.Json;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A job as stored in its Redis hash: state, parameters, per-stage timings and the failure reason. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(
        String id,
        JobState state,
        Stage stage,
        JobParams params,
        long createdAt,
        long updatedAt,
        String error,
        String errorCode,
        Map<Stage, StageTiming> timings,
        Progress progress,
        Map<Stage, List<Integer>> flagged,
        Map<Stage, String> backends) {

    /** The latest step reported by the running stage, as relayed from {@code if.events}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(Stage stage, int step, int total) {}

    /** Hash field names; per-stage timing fields are {@code <stage>.<field>}. */
    static final String STATE = "state", STAGE = "stage", PARAMS = "params", CREATED = "created_at",
            UPDATED = "updated_at", ERROR = "error", ERROR_CODE = "error_code";

    /** Suffix of the per-stage field listing the images the safety checker replaced, e.g. {@code sr.flagged = "0,2"}. */
    public static final String FLAGGED_SUFFIX = ".flagged";

    /**
     * Suffix of the per-stage field naming the model backend that ran the stage when it was not the real one
     * ({@code stage1.backend = "simulated"}): such a job's images are blank and its timings only simulated.
     */
    public static final String BACKEND_SUFFIX = ".backend";

    /** Hash field holding the job's retention in ms: every renewal of the record's TTL uses it. */
    public static final String RETENTION_MS = "retention_ms";

    public static JobRecord fromHash(String id, Map<String, String> h) {
        Map<Stage, StageTiming> timings = new EnumMap<>(Stage.class);
        Map<Stage, List<Integer>> flagged = new EnumMap<>(Stage.class);
        Map<Stage, String> backends = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            String backend = h.get(s.id() + BACKEND_SUFFIX);
            if (backend != null && !backend.isBlank()) {
                backends.put(s, backend);
            }
            String f = h.get(s.id() + FLAGGED_SUFFIX);
            if (f != null && !f.isBlank()) {
                flagged.put(s, Arrays.stream(f.split(",")).map(Integer::valueOf).toList());
            }
            if (h.containsKey(s.id() + ".started_at")) {
                timings.put(s, new StageTiming(
                        num(h, s.id() + ".queued_ms"),
                        num(h, s.id() + ".run_ms"),
                        num(h, s.id() + ".io_ms"),
                        num(h, s.id() + ".started_at"),
                        num(h, s.id() + ".finished_at"),
                        h.get(s.id() + ".worker")));
            }
        }
        return new JobRecord(
                id,
                JobState.fromId(h.get(STATE)),
                h.containsKey(STAGE) ? Stage.fromId(h.get(STAGE)) : null,
                Json.read(h.get(PARAMS), JobParams.class),
                num(h, CREATED),
                num(h, UPDATED),
                h.get(ERROR),
                h.get(ERROR_CODE),
                timings,
                h.containsKey("progress.stage")
                        ? new Progress(Stage.fromId(h.get("progress.stage")),
                                Integer.parseInt(h.get("progress.step")), Integer.parseInt(h.get("progress.total")))
                        : null,
                flagged.isEmpty() ? null : flagged,
                backends.isEmpty() ? null : backends);
    }

    /** Whether some stage of this job ran on the simulated backend (load tests: blank images, simulated timings). */
    public boolean simulated() {
        return backends != null && backends.containsValue("simulated");
    }

    /** The fields of a new, queued job. */
    public static Map<String, String> newJobFields(JobParams params, long now, Duration retention) {
        Map<String, String> f = new HashMap<>();
        f.put(STATE, JobState.QUEUED.id());
        f.put(PARAMS, Json.write(params));
        f.put(CREATED, Long.toString(now));
        f.put(UPDATED, Long.toString(now));
        f.put(RETENTION_MS, Long.toString(retention.toMillis()));
        return f;
    }

    private static Long num(Map<String, String> h, String field) {
        String v = h.get(field);
        return v == null ? null : Long.valueOf(v);
    }
}
