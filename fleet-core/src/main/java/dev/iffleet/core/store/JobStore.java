package dev.iffleet.core.store;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and moves job records in Redis; the record is the single source of truth for a job's state.
 * Updates of a job that is gone (expired or deleted) are dropped, so no partial record reappears, and a
 * terminal state (succeeded, failed, canceled) is never moved back by a late worker.
 */
public final class JobStore {

    /** How long a job's tombstone outlives its retention, so its id answers "removed" instead of "unknown". */
    public static final Duration TOMBSTONE_GRACE = Duration.ofDays(7);
    /** Recent run times kept per stage for ETAs. */
    static final int RUN_TIMES_KEPT = 50;

    private static final List<String> TERMINAL = Arrays.stream(JobState.values())
            .filter(JobState::terminal).map(JobState::id).toList();

    // atomic: a worker moving the job at the same moment either sees canceled or is refused by the guard
    private static final String CANCEL = "local s = redis.call('hget', KEYS[1], 'state') "
            + "if not s then return 'gone' end "
            + "if s == 'succeeded' or s == 'failed' or s == 'canceled' then return s end "
            + "redis.call('hset', KEYS[1], 'state', 'canceled', 'error_code', 'canceled', 'updated_at', ARGV[1]) "
            + "redis.call('publish', KEYS[2], ARGV[2]) "
            + "return 'now'";

    private final RedisStore redis;
    private final Keys keys;
    private final Duration ttl;
    private final Duration maxRetention;

    public JobStore(RedisStore redis, Keys keys, Duration ttl) {
        this(redis, keys, ttl, ttl.compareTo(Duration.ofDays(7)) > 0 ? ttl : Duration.ofDays(7));
    }

    /** @param maxRetention the longest retention a job may ask for: index entries older than it are trimmed */
    public JobStore(RedisStore redis, Keys keys, Duration ttl, Duration maxRetention) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.maxRetention = maxRetention;
    }

    public Keys keys() {
        return keys;
    }

    /** The default retention of a job. */
    public Duration ttl() {
        return ttl;
    }

    public Duration maxRetention() {
        return maxRetention;
    }

    /** The lifetime of a job's record and artifacts: its own retention, else the default. */
    public Duration ttlFor(JobParams params) {
        return params.retention(ttl);
    }

    public void create(String jobId, JobParams params, long now) {
        create(jobId, params, now, Map.of());
    }

    /** Creates a job whose record also holds {@code extraFields} (the gateway's per-job webhook settings). */
    public void create(String jobId, JobParams params, long now, Map<String, String> extraFields) {
        Duration retention = ttlFor(params);
        Map<String, String> fields = new HashMap<>(JobRecord.newJobFields(params, now, retention));
        fields.putAll(extraFields);
        redis.putHash(keys.job(jobId), fields, retention);
        redis.putString(keys.tombstone(jobId), Long.toString(now), retention.plus(TOMBSTONE_GRACE));
        redis.text().zadd(keys.jobsIndex(), now, jobId);
        redis.text().zremrangebyscore(keys.jobsIndex(), Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(now - maxRetention.toMillis())));
    }

    /** Removes every trace of a job, as if it had never been submitted. */
    public void delete(String jobId) {
        redis.unlink(keys.job(jobId), keys.tombstone(jobId));
        redis.text().zrem(keys.jobsIndex(), jobId);
    }

    public Optional<JobRecord> find(String jobId) {
        Map<String, String> h = redis.getHash(keys.job(jobId));
        return h.isEmpty() ? Optional.empty() : Optional.of(JobRecord.fromHash(jobId, h));
    }

    /** Whether the job existed and its retention ran out (its tombstone outlives the record). */
    public boolean removed(String jobId) {
        return !redis.exists(keys.job(jobId)) && redis.exists(keys.tombstone(jobId));
    }

    /** Only the state field: the cheap check a running stage makes between steps. */
    public boolean canceled(String jobId) {
        return JobState.CANCELED.id().equals(redis.text().hget(keys.job(jobId), "state"));
    }

    /** @return false when the job is gone or already terminal (e.g. canceled meanwhile): the stage must not run */
    public boolean stageStarted(String jobId, Stage stage, long queuedMs, String worker, long now) {
        Map<String, String> f = new HashMap<>();
        f.put("state", JobState.RUNNING.id());
        f.put("stage", stage.id());
        f.put("updated_at", Long.toString(now));
        f.put(stage.id() + ".queued_ms", Long.toString(queuedMs));
        f.put(stage.id() + ".started_at", Long.toString(now));
        f.put(stage.id() + ".worker", worker);
        return move(jobId, f);
    }

    public void stageFinished(String jobId, Stage stage, long runMs, long ioMs, long now) {
        stageFinished(jobId, stage, runMs, ioMs, now, List.of());
    }

    /** @param flagged batch indices of the stage's images that the safety checker replaced */
    public void stageFinished(String jobId, Stage stage, long runMs, long ioMs, long now, List<Integer> flagged) {
        Map<String, String> f = new HashMap<>();
        f.put(stage.id() + ".run_ms", Long.toString(runMs));
        f.put(stage.id() + ".io_ms", Long.toString(ioMs));
        f.put(stage.id() + ".finished_at", Long.toString(now));
        f.put("updated_at", Long.toString(now));
        if (!flagged.isEmpty()) {
            f.put(stage.id() + JobRecord.FLAGGED_SUFFIX,
                    String.join(",", flagged.stream().map(String::valueOf).toList()));
        }
        redis.updateHash(keys.job(jobId), f, ttl, JobRecord.RETENTION_MS, "", List.of());
    }

    /** Records the latest progress of a live job; a job that expired is not brought back. */
    public void progress(String jobId, Stage stage, int step, int total) {
        redis.updateHash(keys.job(jobId), Map.of(
                "progress.stage", stage.id(), "progress.step", Integer.toString(step), "progress.total", Integer.toString(total)),
                null);
    }

    public void succeeded(String jobId, long now) {
        move(jobId, Map.of("state", JobState.SUCCEEDED.id(), "updated_at", Long.toString(now)));
    }

    public void failed(String jobId, Stage stage, String reason, long now) {
        failed(jobId, stage, "stage_failed", reason, now);
    }

    /** @param code machine-readable cause: {@code invalid_input}, {@code stage_failed}, {@code model_unavailable} */
    public void failed(String jobId, Stage stage, String code, String reason, long now) {
        move(jobId, Map.of(
                "state", JobState.FAILED.id(),
                "stage", stage.id(),
                "error", reason == null ? "unknown error" : reason,
                "error_code", code,
                "updated_at", Long.toString(now)));
    }

    /** What a cancel request found. */
    public enum CancelOutcome { CANCELED, ALREADY_CANCELED, FINISHED, GONE }

    /** Marks a queued or running job canceled; workers see it at their next step and stop. */
    public CancelOutcome cancel(String jobId, long now) {
        String r = redis.text().eval(CANCEL, ScriptOutputType.VALUE, new String[] {keys.job(jobId), keys.cancelChannel()},
                Long.toString(now), jobId);
        return switch (r) {
            case "now" -> CancelOutcome.CANCELED;
            case "canceled" -> CancelOutcome.ALREADY_CANCELED;
            case "gone" -> CancelOutcome.GONE;
            default -> CancelOutcome.FINISHED;
        };
    }

    /** Unlinks every artifact of a job (not its record, tombstone or index entry). */
    public int freeArtifacts(String jobId) {
        List<String> found = redis.scan(keys.artifactPattern(jobId));
        redis.unlink(found.toArray(String[]::new));
        return found.size();
    }

    /** Remembers how long a stage's model ran, for ETAs (the last {@value #RUN_TIMES_KEPT} per stage). */
    public void recordRunTime(Stage stage, long runMs) {
        redis.text().lpush(keys.runTimes(stage), Long.toString(runMs));
        redis.text().ltrim(keys.runTimes(stage), 0, RUN_TIMES_KEPT - 1);
    }

    /** The recent run times of a stage, newest first. */
    public List<Long> runTimes(Stage stage) {
        return redis.text().lrange(keys.runTimes(stage), 0, RUN_TIMES_KEPT - 1).stream().map(Long::valueOf).toList();
    }

    private boolean move(String jobId, Map<String, String> fields) {
        return redis.updateHash(keys.job(jobId), fields, ttl, JobRecord.RETENTION_MS, "state", TERMINAL);
    }
}
