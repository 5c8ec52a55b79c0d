package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The public shape of a job event, shared by the SSE stream and webhooks: its name ({@code stage.started},
 * {@code progress}, {@code preview}, {@code stage.completed}, {@code completed}, {@code failed}, {@code canceled}) and data.
 */
public final class EventPayloads {

    private EventPayloads() {}

    /** The public name of an event: {@code succeeded} is shown as {@code completed}. */
    public static String name(JobEvent e) {
        String id = e.type().id();
        return id.equals("succeeded") ? "completed" : id;
    }

    /** The data of an event; {@code job} (when still stored) gives the image URLs of a completed job. */
    public static Map<String, Object> data(JobEvent e, Optional<JobRecord> job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("job_id", e.jobId());
        if (e.stage() != null) {
            d.put("stage", e.stage().id());
        }
        switch (name(e)) {
            case "progress" -> {
                d.put("step", e.step());
                d.put("total", e.totalSteps());
            }
            case "preview" -> {
                d.put("step", e.step());
                d.put("total", e.totalSteps());
                // the URL names the step so a browser does not show a cached older preview
                d.put("preview_url", "/v1/jobs/" + e.jobId() + "/images/" + e.stage().id() + "/preview.png?step="
                        + e.step());
            }
            case "stage.completed" -> {
                if (e.stage() == Stage.STAGE1 || e.stage() == Stage.SR) {
                    d.put("preview_url", imageUrl(e.jobId(), e.stage()));
                }
            }
            case "completed" -> d.put("images", images(e.jobId(), job));
            default -> {
                if (e.message() != null) {
                    d.put("message", e.message());
                }
            }
        }
        d.put("at", e.at());
        return d;
    }

    public static String imageUrl(String jobId, Stage stage) {
        return "/v1/jobs/" + jobId + "/images/" + stage.id() + ".png";
    }

    private static Map<String, String> images(String jobId, Optional<JobRecord> job) {
        Map<String, String> images = new LinkedHashMap<>();
        job.ifPresent(r -> r.timings().forEach((stage, t) -> {
            if (stage != Stage.ENCODE && t.finishedAt() != null) {
                images.put(stage.id(), imageUrl(jobId, stage));
            }
        }));
        return images;
    }
}
