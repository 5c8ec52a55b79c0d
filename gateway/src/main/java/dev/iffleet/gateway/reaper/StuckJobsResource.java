package dev.iffleet.gateway.reaper;

import dev.iffleet.core.reaper.StuckJob;
import dev.iffleet.gateway.api.JobAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /v1/jobs/stuck}: the jobs the reaper takes as stuck now and why ({@code ./fleet jobs stuck}). */
@Path("/v1/jobs/stuck")
public class StuckJobsResource {

    @Inject
    ReaperService reaper;

    @Inject
    JobAccess access;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stuck jobs", description = "Jobs past a deadline of their stage (a lost worker, a lost "
            + "message, a hung model call), as the reaper sees them before it re-queues or fails them; with API keys "
            + "on, only the caller's own.")
    public Map<String, Object> stuck(@Context SecurityContext caller) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StuckJob j : reaper.stuck()) {
            if (!access.maySee(j.jobId(), caller)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.jobId());
            m.put("stage", j.stage().id());
            m.put("cause", j.cause().id());
            m.put("detail", j.detail());
            m.put("since", j.since());
            m.put("requeues", j.requeues());
            out.add(m);
        }
        ReaperConfig c = reaper.config();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", out);
        body.put("reaper", Map.of("enabled", c.enabled(), "max_requeues", c.maxRequeues(),
                "worker_lost_after_ms", c.workerLostAfter().toMillis(),
                "lost_message_after_ms", c.lostMessageAfter().toMillis()));
        return body;
    }
}
