package dev.iffleet.core.store;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and moves job records in Redis; the record is the single source of truth for a job's state.
 * Updates of a job that is gone (expired or deleted) are dropped, so no partial record reappears.
 */
public final class JobStore {

    private final RedisStore redis;
    private final Keys keys;
    private final Duration ttl;

    public JobStore(RedisStore redis, Keys keys, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
    }

    public Keys keys() {
        return keys;
    }

    public Duration ttl() {
        return ttl;
    }

    public void create(String jobId, JobParams params, long now) {
        redis.putHash(keys.job(jobId), JobRecord.newJobFields(params, now), ttl);
    }

    public void delete(String jobId) {
        redis.unlink(keys.job(jobId));
    }

    public Optional<JobRecord> find(String jobId) {
        Map<String, String> h = redis.getHash(keys.job(jobId));
        return h.isEmpty() ? Optional.empty() : Optional.of(JobRecord.fromHash(jobId, h));
    }

    public void stageStarted(String jobId, Stage stage, long queuedMs, String worker, long now) {
        Map<String, String> f = new HashMap<>();
        f.put("state", JobState.RUNNING.id());
        f.put("stage", stage.id());
        f.put("updated_at", Long.toString(now));
        f.put(stage.id() + ".queued_ms", Long.toString(queuedMs));
        f.put(stage.id() + ".started_at", Long.toString(now));
        f.put(stage.id() + ".worker", worker);
        redis.updateHash(keys.job(jobId), f, ttl);
    }

    public void stageFinished(String jobId, Stage stage, long runMs, long ioMs, long now) {
        redis.updateHash(keys.job(jobId), Map.of(
                stage.id() + ".run_ms", Long.toString(runMs),
                stage.id() + ".io_ms", Long.toString(ioMs),
                stage.id() + ".finished_at", Long.toString(now),
                "updated_at", Long.toString(now)), ttl);
    }

    /** Records the latest progress of a live job; a job that expired is not brought back. */
    public void progress(String jobId, Stage stage, int step, int total) {
        redis.updateHash(keys.job(jobId), Map.of(
                "progress.stage", stage.id(), "progress.step", Integer.toString(step), "progress.total", Integer.toString(total)),
                null);
    }

    public void succeeded(String jobId, long now) {
        redis.updateHash(keys.job(jobId), Map.of("state", JobState.SUCCEEDED.id(), "updated_at", Long.toString(now)), ttl);
    }

    public void failed(String jobId, Stage stage, String reason, long now) {
        redis.updateHash(keys.job(jobId), Map.of(
                "state", JobState.FAILED.id(),
                "stage", stage.id(),
                "error", reason == null ? "unknown error" : reason,
                "updated_at", Long.toString(now)), ttl);
    }
}
