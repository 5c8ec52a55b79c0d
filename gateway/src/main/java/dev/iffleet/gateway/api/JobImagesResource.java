package dev.iffleet.gateway.api;

import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A job's images: each stage's PNGs by batch index, and the caller's own uploads as the workers read them; only for
 * whoever may see the job (see {@link JobAccess}).
 */
@Path("/v1/jobs/{id}")
@Blocking
public class JobImagesResource {

    @Inject
    JobStore jobs;

    @Inject
    RedisStore redis;

    @Inject
    JobAccess access;

    @GET
    @Path("images/{stage}.png")
    @Produces("image/png")
    @Operation(summary = "A stage's first image (stage1 64 px, sr 256 px, upscale 1024 px at the default size)")
    public byte[] image(@PathParam("id") String id, @PathParam("stage") String stageId,
            @Context SecurityContext caller) {
        return image(id, stageId, 0, caller);
    }

    @GET
    @Path("images/{stage}/{index}.png")
    @Produces("image/png")
    @Operation(summary = "Image number index (0-based) of a stage's batch of num_images")
    public byte[] image(@PathParam("id") String id, @PathParam("stage") String stageId,
            @PathParam("index") int index, @Context SecurityContext caller) {
        JobRecord job = access.find(id, caller);
        Stage stage = stage(stageId);
        if (index < 0 || index >= job.params().images()) {
            throw new NotFoundException("job " + id + " has images 0.." + (job.params().images() - 1));
        }
        return redis.getBytes(jobs.keys().artifact(job.id(), stage, Outputs.png(index)))
                .orElseThrow(() -> new NotFoundException("job " + id + " has no " + stageId + " image (yet)"));
    }

    @GET
    @Path("images/{stage}/preview.png")
    @Produces("image/png")
    @Operation(summary = "The latest x0 preview of a running stage I (jobs with stage1.preview_every)")
    public byte[] preview(@PathParam("id") String id, @PathParam("stage") String stageId,
            @Context SecurityContext caller) {
        JobRecord job = access.find(id, caller);
        return redis.getBytes(jobs.keys().artifact(job.id(), stage(stageId), Outputs.PREVIEW))
                .orElseThrow(() -> new NotFoundException("job " + id + " has no " + stageId + " preview (yet)"));
    }

    @GET
    @Path("inputs/{name}.png")
    @Produces("image/png")
    @Operation(summary = "An uploaded input (image or mask) as the workers read it")
    public byte[] input(@PathParam("id") String id, @PathParam("name") String name, @Context SecurityContext caller) {
        JobRecord job = access.find(id, caller);
        if (!name.equals("image") && !name.equals("mask")) {
            throw new NotFoundException("inputs are image and mask");
        }
        return redis.getBytes(jobs.keys().input(job.id(), name))
                .orElseThrow(() -> new NotFoundException("job " + id + " has no input " + name));
    }

    private static Stage stage(String id) {
        try {
            Stage s = Stage.fromId(id);
            if (s != Stage.ENCODE) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new NotFoundException("no stage '" + id + "'; images exist for stage1, sr and upscale");
    }
}
