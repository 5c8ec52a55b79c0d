package dev.iffleet.gateway.api;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.submit.JobRequestValidator;
import dev.iffleet.gateway.submit.JobSubmitter;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/** The job API: submit, look up, fetch images. */
@Path("/v1/jobs")
@Blocking
public class JobResource {

    private final JobRequestValidator validator = new JobRequestValidator();

    @Inject
    JobSubmitter submitter;

    @Inject
    JobStore jobs;

    @Inject
    RedisStore redis;

    /**
     * JSON only, declared as such: a text/plain, form or untyped body makes a CORS "simple request", which
     * any web page could send here without the browser asking first.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        if (contentType == null) {
            throw new NotSupportedException("the request has no Content-Type");
        }
        JobParams params = validator.validate(body);
        String id = submitter.submit(params);
        URI location = URI.create("/v1/jobs/" + id);
        return Response.accepted(Map.of("id", id, "status", "queued", "urls", Map.of("get", location.toString())))
                .location(location)
                .build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public JobView get(@PathParam("id") String id) {
        return JobView.of(find(id));
    }

    @GET
    @Path("{id}/images/{stage}.png")
    @Produces("image/png")
    public byte[] image(@PathParam("id") String id, @PathParam("stage") String stageId) {
        JobRecord job = find(id);
        Stage stage;
        try {
            stage = Stage.fromId(stageId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no stage '" + stageId + "'; images exist for stage1, sr and upscale");
        }
        return redis.getBytes(jobs.keys().artifact(job.id(), stage, "png"))
                .orElseThrow(() -> new NotFoundException("job " + id + " has no " + stageId + " image (yet)"));
    }

    private JobRecord find(String id) {
        // an artifact key starts with its job's key: only a well-formed id may reach Redis
        if (!JobSubmitter.isJobId(id)) {
            throw new NotFoundException("no job " + id + " (not a job id)");
        }
        return jobs.find(id).orElseThrow(() -> new NotFoundException("no job " + id + " (unknown or expired)"));
    }
}
