package dev.iffleet.gateway.api;

import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.auth.AuthConfig;
import dev.iffleet.gateway.submit.JobOwner;
import dev.iffleet.gateway.submit.JobSubmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who may see a job: anyone on an open gateway; with API keys on, only the key that submitted it. Every per-job
 * endpoint looks its job up here, so another key's job answers exactly as an unknown one (404, never 403).
 */
@ApplicationScoped
public class JobAccess {

    @Inject
    JobStore jobs;

    @Inject
    RedisStore redis;

    @Inject
    AuthConfig auth;

    /**
     * The job, if the caller may see it.
     *
     * @throws NotFoundException for a malformed or unknown id and for another key's job
     * @throws ProblemException 410 {@code data_removed} for an id past its retention
     */
    public JobRecord find(String id, SecurityContext caller) {
        // an artifact key starts with its job's key: only a well-formed id may reach Redis
        if (!JobSubmitter.isJobId(id)) {
            throw new NotFoundException("no job " + id + " (not a job id)");
        }
        Map<String, String> h = redis.getHash(jobs.keys().job(id));
        if (h.isEmpty()) {
            throw jobs.removed(id)
                    ? new ProblemException(Problem.coded(410, "Gone",
                            "job " + id + " passed its retention; its data was removed", "data_removed"))
                    : unknown(id);
        }
        if (!owns(caller, h.get(JobOwner.FIELD))) {
            throw unknown(id);
        }
        return JobRecord.fromHash(id, h);
    }

    /** Whether the caller may see the job {@code id} (false too when it does not exist). */
    public boolean maySee(String id, SecurityContext caller) {
        return open() || owns(caller, redis.text().hget(jobs.keys().job(id), JobOwner.FIELD));
    }

    /** The jobs of a listing the caller may see: all on an open gateway, its own with API keys on. */
    public Predicate<JobRecord> listable(SecurityContext caller) {
        return open() ? job -> true : job -> maySee(job.id(), caller);
    }

    /**
     * The name under which an {@code Idempotency-Key} is claimed: with API keys on, the key's id comes first, so two
     * keys sending the same header value claim two different names and make two jobs.
     */
    public String idempotencyClaim(String idempotencyKey, SecurityContext caller) {
        String claim = "key:" + idempotencyKey;
        return open() ? claim : JobOwner.of(caller).orElse("") + ":" + claim;
    }

    private boolean owns(SecurityContext caller, String owner) {
        return open() || (owner != null && JobOwner.of(caller).filter(owner::equals).isPresent());
    }

    /** Without API keys every job is everyone's. */
    private boolean open() {
        return !auth.enabled();
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("no job " + id + " (unknown or expired)");
    }
}
