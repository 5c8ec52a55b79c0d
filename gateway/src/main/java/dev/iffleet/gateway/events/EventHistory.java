package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.ScriptOutputType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each job's events, in order, in the Redis list {@code job:<id>:events}, expiring with the job after its own
 * retention, so a late SSE subscriber on any gateway replica can replay them. Progress is kept at most twice a
 * second per job.
 */
@ApplicationScoped
public class EventHistory {

    /** Least time between two stored progress events of one job. */
    static final long PROGRESS_INTERVAL_MS = 500;
    private static final int MAX_TRACKED_JOBS = 10_000;

    // appends only while the job exists, so an event of an expired or unknown job leaves no key behind; the
    // history expires when the job record does (the record's TTL is its own retention, renewed as it moves); a
    // record without a TTL gives its retention field, and only a record without either the store's default TTL
    private static final String APPEND_IF_JOB_EXISTS = "if redis.call('exists', KEYS[1]) == 0 then return -1 end "
            + "local n = redis.call('rpush', KEYS[2], ARGV[1]) "
            + "local ttl = redis.call('pttl', KEYS[1]) "
            + "if ttl <= 0 then ttl = tonumber(redis.call('hget', KEYS[1], ARGV[3]) or ARGV[2]) end "
            + "redis.call('pexpire', KEYS[2], ttl) "
            + "return n";

    // events of a job arrive at one replica (the topic is keyed by job id), so this throttle state is local
    private final Map<String, Long> lastProgressAt = new ConcurrentHashMap<>();

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    public String key(String jobId) {
        return jobs.keys().job(jobId) + ":events";
    }

    /**
     * Appends an event unless it is a progress event too close to the previous stored one.
     *
     * @return the event's index in the history, or -1 when it was throttled or the job is gone
     */
    public long append(JobEvent event, String json, long now) {
        if (event.type() == JobEvent.Type.PROGRESS && throttled(event, now)) {
            return -1;
        }
        if (terminal(event.type().id())) {
            lastProgressAt.remove(event.jobId());
        }
        Long n = redis.text().eval(APPEND_IF_JOB_EXISTS, ScriptOutputType.INTEGER,
                new String[] {jobs.keys().job(event.jobId()), key(event.jobId())},
                json, Long.toString(jobs.ttl().toMillis()), JobRecord.RETENTION_MS);
        return n == null || n < 0 ? -1 : n - 1;
    }

    /** The stored events of a job from index {@code from} on, as JSON. */
    public List<String> from(String jobId, long from) {
        return redis.text().lrange(key(jobId), from, -1);
    }

    /** Whether an event type (its wire id) ends a job: succeeded, failed or canceled. */
    public static boolean terminal(String typeId) {
        return typeId.equals("succeeded") || typeId.equals("failed") || typeId.equals("canceled");
    }

    private boolean throttled(JobEvent event, long now) {
        if (lastProgressAt.size() > MAX_TRACKED_JOBS) {
            // jobs whose terminal event never came here (another replica took over the partition, or they expired)
            lastProgressAt.values().removeIf(at -> now - at > 60_000);
        }
        boolean last = event.step() != null && event.step().equals(event.totalSteps());
        boolean[] keep = {false};
        lastProgressAt.compute(event.jobId(), (id, prev) -> {
            keep[0] = last || prev == null || now - prev >= PROGRESS_INTERVAL_MS;
            return keep[0] ? now : prev;
        });
        return !keep[0];
    }
}
