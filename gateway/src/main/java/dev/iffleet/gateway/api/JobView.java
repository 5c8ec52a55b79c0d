package dev.iffleet.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageTiming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it: state, progress, per-stage timings, the URLs of its images and, while it waits or
 * runs, an estimated queue position and time to completion. A job that ran on the simulated model backend (any
 * {@code <stage>.backend = simulated}) says so at the top: {@code "simulated": true} and a {@code warning}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String status,
        String stage,
        long createdAt,
        long updatedAt,
        JobParams params,
        String error,
        String errorCode,
        Boolean simulated,
        String warning,
        JobRecord.Progress progress,
        Integer queuePosition,
        Long etaMs,
        Map<String, StageTiming> metrics,
        Map<String, String> images,
        List<Output> outputs,
        Map<String, List<Integer>> flagged,
        Map<String, String> urls) {

    /**
     * One delivered image: stage, index in the batch ({@code num_images}), URL, and whether the safety checker
     * replaced it with black.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Output(String stage, int index, String url, boolean flagged) {}

    /** Shown with a job some stage of which ran on the simulated model backend. */
    static final String SIMULATED_WARNING = "simulated model backend (load test): model calls only slept for a "
            + "profiled time and returned zeros; images are blank and timings are not of a real model";

    public static JobView of(JobRecord r) {
        return of(r, null, null);
    }

    /** @param queuePosition and {@code etaMs}: estimates for a live job, or null */
    public static JobView of(JobRecord r, Integer queuePosition, Long etaMs) {
        String base = "/v1/jobs/" + r.id();
        Map<String, StageTiming> metrics = new LinkedHashMap<>();
        Map<String, String> images = new LinkedHashMap<>();
        List<Output> outputs = new ArrayList<>();
        Map<String, List<Integer>> flagged = new LinkedHashMap<>();
        r.timings().forEach((stage, t) -> {
            metrics.put(stage.id(), t);
            if (stage != Stage.ENCODE && t.finishedAt() != null) {
                images.put(stage.id(), base + "/images/" + stage.id() + ".png");
                List<Integer> blanked = r.flagged() == null ? List.of() : r.flagged().getOrDefault(stage, List.of());
                if (!blanked.isEmpty()) {
                    flagged.put(stage.id(), blanked);
                }
                for (int i = 0; i < r.params().images(); i++) {
                    String url = i == 0 ? base + "/images/" + stage.id() + ".png"
                            : base + "/images/" + stage.id() + "/" + i + ".png";
                    outputs.add(new Output(stage.id(), i, url, blanked.contains(i)));
                }
            }
        });
        return new JobView(
                r.id(),
                r.state().id(),
                r.stage() == null ? null : r.stage().id(),
                r.createdAt(),
                r.updatedAt(),
                r.params(),
                r.error(),
                r.errorCode(),
                r.simulated() ? Boolean.TRUE : null,
                r.simulated() ? SIMULATED_WARNING : null,
                r.progress(),
                queuePosition,
                etaMs,
                metrics,
                images,
                outputs,
                flagged.isEmpty() ? null : flagged,
                urls(r.id()));
    }

    static Map<String, String> urls(String id) {
        String base = "/v1/jobs/" + id;
        // stream: the job's server-sent events; web: the gateway's page following this job
        return Map.of("get", base, "cancel", base + "/cancel", "stream", base + "/events", "web", "/?job=" + id);
    }
}
