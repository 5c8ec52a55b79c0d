package dev.iffleet.gateway.api;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobIndex;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.OpenApiDocs;
import dev.iffleet.gateway.events.EventHistory;
import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.image.ImageLimits;
import dev.iffleet.gateway.submit.IdempotencyClaims;
import dev.iffleet.gateway.submit.InputImagesPolicy;
import dev.iffleet.gateway.submit.LimitedImageDecoder;
import dev.iffleet.gateway.submit.InvalidRequestException;
import dev.iffleet.gateway.submit.JobOwner;
import dev.iffleet.gateway.submit.JobRequestValidator;
import dev.iffleet.gateway.submit.JobSubmitter;
import dev.iffleet.gateway.webhook.WebhookConfig;
import dev.iffleet.gateway.webhook.WebhookService;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The job API: submit (plain, idempotent or by client id, optionally waiting), look up, list, cancel, images. */
@Path("/v1/jobs")
@Blocking
@SecurityScheme(securitySchemeName = OpenApiDocs.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "iff_<32 characters>", description = "An API key, required on /v1/* when fleet.auth.enabled "
                + "(401 without a valid one); a job is then its key's: another key's job answers 404 and is not "
                + "listed, and Idempotency-Key claims are per key; job submissions are limited per key: 429 with code "
                + "rate_limited or quota_exceeded and Retry-After")
@SecurityRequirement(name = OpenApiDocs.API_KEY)
public class JobResource {

    static final int MAX_IDEMPOTENCY_KEY = 255;
    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** How long a replayed request waits for the job its key names to appear (its creator may still be at it). */
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(12);

    @Inject
    JobSubmitter submitter;

    @Inject
    IdempotencyClaims claims;

    @Inject
    JobStore jobs;

    @Inject
    RedisStore redis;

    @Inject
    WebhookConfig webhookConfig;

    @Inject
    EventHistory history;

    @Inject
    WebhookService webhooks;

    @Inject
    FleetConfig fleet;

    @Inject
    JobAccess access;

    private JobRequestValidator validator;
    private JobIndex index;

    @PostConstruct
    void init() {
        FleetConfig.Gateway g = fleet.gateway();
        ImageLimits limits = new ImageLimits(g.maxImageBytes(), g.maxImagePixels(), ImageLimits.DEFAULT.maxSide());
        validator = new JobRequestValidator(jobs.maxRetention(), webhookConfig.allowHosts().orElse(List.of()),
                new InputImagesPolicy(new LimitedImageDecoder(limits), g.maxNumImages(), g.allowWatermarkOff()));
        index = new JobIndex(redis, jobs);
    }

    /**
     * JSON only, declared as such: a text/plain, form or untyped body makes a CORS "simple request", which
     * any web page could send here without the browser asking first.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "202 with the job's id and URLs; an Idempotency-Key replays an "
            + "earlier identical request (200, Idempotent-Replayed: true) or conflicts (409); Prefer: wait=N waits for the end. "
            + "With API keys on, the job is the key's (only that key sees it; its webhooks are signed with the key's "
            + "secret), an Idempotency-Key is the key's own, and the key's rate "
            + "and concurrent-job quota apply: 429 (rate_limited, quota_exceeded) with Retry-After")
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam("Prefer") String prefer,
            @Context SecurityContext caller, String body) {
        if (contentType == null) {
            throw new NotSupportedException("the request has no Content-Type");
        }
        return submitValidated(validator.check(body), idempotencyKey, prefer, caller);
    }

    private Response submitValidated(JobRequestValidator.Validated v, String idempotencyKey, String prefer,
            SecurityContext caller) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw new InvalidRequestException(null, "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        Map<String, String> fields = JobOwner.recordFields(v.recordFields(), caller);
        if (idempotencyKey == null) {
            return created(submitter.submit(UUID.randomUUID().toString(), v.params(), fields, v.inputs()),
                    SyncWait.seconds(prefer));
        }
        return claimed(access.idempotencyClaim(idempotencyKey, caller), UUID.randomUUID().toString(), v, fields,
                SyncWait.seconds(prefer), caller);
    }

    /**
     * The same job request as multipart/form-data, for file uploads: a {@code request} part holding the JSON body and
     * {@code image} / {@code mask} file parts (PNG, JPEG or WebP).
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job with uploaded images", description = "parts: request (the JSON body of POST "
            + "/v1/jobs, without image/mask), image and mask (files); answers as the JSON submit does")
    public Response submitMultipart(@RestForm("request") String request, @RestForm("image") FileUpload image,
            @RestForm("mask") FileUpload mask, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Prefer") String prefer, @Context SecurityContext caller) {
        Map<String, byte[]> uploads = new LinkedHashMap<>();
        read(uploads, "image", image);
        read(uploads, "mask", mask);
        if (request == null) {
            throw new InvalidRequestException("request", "the multipart body needs a 'request' part with the job's JSON");
        }
        return submitValidated(validator.check(request, uploads), idempotencyKey, prefer, caller);
    }

    private static void read(Map<String, byte[]> uploads, String name, FileUpload part) {
        if (part == null) {
            return;
        }
        try {
            uploads.put(name, Files.readAllBytes(part.uploadedFile()));
        } catch (IOException e) {
            throw new InvalidRequestException(name, "the " + name + " part could not be read");
        }
    }

    @PUT
    @Path("{client_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job under the caller's own id", description = "client_id: 1-64 of [A-Za-z0-9_-]; "
            + "a repeat with the same body returns the job (200), a different body is a 409; with API keys on, an id "
            + "another key's job holds is a 409")
    public Response put(@PathParam("client_id") String clientId, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Prefer") String prefer, @Context SecurityContext caller, String body) {
        if (contentType == null) {
            throw new NotSupportedException("the request has no Content-Type");
        }
        if (!JobSubmitter.isJobId(clientId)) {
            throw new InvalidRequestException("client_id", "client_id must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'");
        }
        JobRequestValidator.Validated v = validator.check(body);
        return claimed("id:" + clientId, clientId, v, JobOwner.recordFields(v.recordFields(), caller),
                SyncWait.seconds(prefer), caller);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List jobs, newest first", description = "filter by state; opaque cursor from next_cursor; "
            + "with API keys on, only the caller's jobs (a page may then be short and still have a next_cursor)")
    public Map<String, Object> list(@QueryParam("state") String state, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor, @Context SecurityContext caller) {
        JobState filter = null;
        if (state != null) {
            try {
                filter = JobState.fromId(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("state", "state must be queued, running, succeeded, failed or canceled");
            }
        }
        int n = limit == null ? DEFAULT_PAGE : limit;
        if (n < 1 || n > MAX_PAGE) {
            throw new InvalidRequestException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        JobIndex.Cursor after;
        try {
            after = cursor == null ? null : JobIndex.Cursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "cursor is not one this API returned");
        }
        JobState only = filter;
        Predicate<JobRecord> inState = only == null ? job -> true : job -> job.state() == only;
        JobIndex.Page page = index.list(inState.and(access.listable(caller)), n, after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", page.jobs().stream().map(JobView::of).toList());
        out.put("next_cursor", page.next());
        return out;
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a job", description = "404 unknown (or, with API keys on, another key's), 410 (code "
            + "data_removed) past its retention; Prefer: wait=N holds the answer until the job ends or N seconds pass")
    public Response get(@PathParam("id") String id, @HeaderParam("Prefer") String prefer,
            @Context SecurityContext caller) {
        JobRecord found = access.find(id, caller);
        int wait = SyncWait.seconds(prefer);
        JobRecord job = wait > 0 ? SyncWait.until(jobs, id, wait).orElseGet(() -> access.find(id, caller)) : found;
        Response.ResponseBuilder ok = Response.ok(view(job));
        return (wait > 0 ? ok.header(SyncWait.APPLIED_HEADER, "wait=" + wait) : ok).build();
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a job", description = "a queued job never starts, a running one stops within one "
            + "denoising step; its artifacts are freed, its record kept (canceled). 409 when it already finished")
    public JobView cancel(@PathParam("id") String id, @Context SecurityContext caller) {
        JobRecord before = access.find(id, caller);
        long now = System.currentTimeMillis();
        switch (jobs.cancel(id, now)) {
            case GONE -> access.find(id, caller);
            case FINISHED -> throw new ProblemException(Problem.response(409, "Conflict",
                    "job " + id + " has already finished", null));
            case CANCELED -> {
                jobs.freeArtifacts(id);
                announceCanceled(before, now);
            }
            default -> jobs.freeArtifacts(id);
        }
        return JobView.of(access.find(id, caller));
    }

    /**
     * A queued job has no worker to report its end: the gateway records the {@code canceled} event itself, so
     * event streams close and webhooks fire. A running job's worker may report it too; streams end at the first.
     */
    private void announceCanceled(JobRecord job, long now) {
        JobEvent e = JobEvent.canceled(job.id(), job.stage() != null ? job.stage() : Stage.ENCODE, now);
        if (history.append(e, Json.write(e), now) >= 0) {
            webhooks.enqueue(e);
        }
    }

    /** Creates the job for a claimed key, or answers with the job an earlier identical request created. */
    private Response claimed(String key, String candidateId, JobRequestValidator.Validated v, Map<String, String> fields,
            int wait, SecurityContext caller) {
        IdempotencyClaims.Claim claim = claims.claim(key, candidateId, v.fingerprint(), jobs.ttlFor(v.params()));
        if (claim.won() && jobs.find(candidateId).isPresent()) {
            // a client id equal to a job id handed out earlier: never overwrite that job
            claims.release(key);
            throw new ProblemException(Problem.response(409, "Conflict", "job " + candidateId + " already exists", null));
        }
        if (claim.won()) {
            try {
                return created(submitter.submit(candidateId, v.params(), fields, v.inputs()), wait);
            } catch (RuntimeException e) {
                claims.release(key);
                throw e;
            }
        }
        if (!claim.fingerprint().equals(v.fingerprint())) {
            throw new ProblemException(Problem.response(409, "Conflict",
                    "this idempotency key or client id was used for a different request", null));
        }
        Optional<JobRecord> job = SyncWait.appeared(jobs, claim.jobId(), REPLAY_WAIT);
        if (job.isEmpty()) {
            throw new ProblemException(Problem.response(409, "Conflict",
                    "the request first sent with this key is still being processed or failed; try again", null));
        }
        if (!access.maySee(claim.jobId(), caller)) {
            // a client id another API key's job holds: taken, and nothing of that job is shown
            throw new ProblemException(Problem.response(409, "Conflict", "job " + candidateId + " already exists", null));
        }
        JobRecord existing = wait > 0 ? SyncWait.until(jobs, claim.jobId(), wait).orElse(job.get()) : job.get();
        Response.ResponseBuilder r = Response.ok(view(existing)).header("Idempotent-Replayed", "true")
                .location(URI.create("/v1/jobs/" + existing.id()));
        return (wait > 0 ? r.header(SyncWait.APPLIED_HEADER, "wait=" + wait) : r).build();
    }

    private Response created(String id, int wait) {
        URI location = URI.create("/v1/jobs/" + id);
        String status = "queued";
        if (wait > 0) {
            Optional<JobRecord> job = SyncWait.until(jobs, id, wait);
            if (job.isPresent() && job.get().state().terminal()) {
                return Response.ok(view(job.get())).location(location).header(SyncWait.APPLIED_HEADER, "wait=" + wait).build();
            }
            status = job.map(j -> j.state().id()).orElse(status);
        }
        Response.ResponseBuilder r = Response.accepted(Map.of("id", id, "status", status, "urls", JobView.urls(id)))
                .location(location);
        return (wait > 0 ? r.header(SyncWait.APPLIED_HEADER, "wait=" + wait) : r).build();
    }

    /** The view, with queue position and ETA estimates while the job is live. */
    private JobView view(JobRecord job) {
        if (job.state().terminal()) {
            return JobView.of(job);
        }
        int position = index.queuePosition(job);
        return JobView.of(job, position, index.etaMs(job, position).orElse(null));
    }
}
