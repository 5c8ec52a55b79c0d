package dev.iffleet.core.reaper;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.StageStore;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reaper's Redis side: which jobs of a list are still live, and one script per stuck job that either resets its
 * stage for a re-queue or fails it, acting only if the job is exactly as the reaper saw it, so that of several
 * reapers (one per gateway) one acts and the others find it moved.
 */
final class ReaperStore {

    /** What the settle script did. */
    enum Settled { REQUEUED, FAILED, MOVED }

    // KEYS: job keys. Returns the indices (1-based) of those whose state is not terminal.
    private static final String LIVE = "local out = {} "
            + "for i = 1, #KEYS do local s = redis.call('hget', KEYS[i], 'state') "
            + "  if s and s ~= 'succeeded' and s ~= 'failed' and s ~= 'canceled' then out[#out + 1] = i end end "
            + "return out";

    // KEYS: job. ARGV: stage, admissions seen, now, max re-queues, reason, code.
    // Bumping the admission counter makes a late completion of the presumed-lost run store nothing (StageStore's
    // COMPLETE wants its own token), and makes any other reaper acting on the same sighting find 'moved'.
    private static final String SETTLE = "local s = redis.call('hget', KEYS[1], 'state') "
            + "if not s or s == 'succeeded' or s == 'failed' or s == 'canceled' then return 'moved' end "
            + "local st = ARGV[1] "
            + "if redis.call('hget', KEYS[1], st .. '.finished_at') then return 'moved' end "
            + "local a = redis.call('hget', KEYS[1], st .. '" + StageStore.ADMISSIONS + "') or '0' "
            + "if a ~= ARGV[2] then return 'moved' end "
            + "redis.call('hincrby', KEYS[1], st .. '" + StageStore.ADMISSIONS + "', 1) "
            + "local r = tonumber(redis.call('hget', KEYS[1], st .. '.requeues') or '0') "
            + "if r >= tonumber(ARGV[4]) then "
            + "  redis.call('hset', KEYS[1], 'state', 'failed', 'stage', st, 'error', ARGV[5], 'error_code', ARGV[6], "
            + "    'updated_at', ARGV[3]) "
            + "  return 'failed' end "
            + "redis.call('hincrby', KEYS[1], st .. '.requeues', 1) "
            + "redis.call('hdel', KEYS[1], st .. '.started_at', st .. '.worker', st .. '.queued_ms') "
            + "redis.call('hset', KEYS[1], 'stage', st, st .. '.requeued_at', ARGV[3], 'updated_at', ARGV[3]) "
            + "return 'requeued'";

    /** The error code of a job the reaper failed. */
    static final String CODE = "stuck";

    private final RedisStore redis;
    private final JobStore jobs;

    ReaperStore(RedisStore redis, JobStore jobs) {
        this.redis = redis;
        this.jobs = jobs;
    }

    /** The ids of {@code ids} whose jobs exist and have not ended, in one round trip. */
    List<String> live(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String[] keys = ids.stream().map(jobs.keys()::job).toArray(String[]::new);
        List<Long> idx = redis.text().eval(LIVE, ScriptOutputType.MULTI, keys);
        List<String> out = new ArrayList<>(idx.size());
        idx.forEach(i -> out.add(ids.get(i.intValue() - 1)));
        return out;
    }

    /** @param reason the job's error when it fails now (its re-queues are used up, or {@code maxRequeues} is 0) */
    Settled settle(StuckJob job, int maxRequeues, String reason, long now) {
        String r = redis.text().eval(SETTLE, ScriptOutputType.VALUE, new String[] {jobs.keys().job(job.jobId())},
                job.stage().id(), job.admissions(), Long.toString(now), Integer.toString(maxRequeues), reason, CODE);
        return switch (r) {
            case "requeued" -> Settled.REQUEUED;
            case "failed" -> Settled.FAILED;
            default -> Settled.MOVED;
        };
    }

    /**
     * The stage's message as the stage before it (or the gateway) sent it: the caller's uploads and every earlier
     * stage's outputs, read from their done markers.
     */
    StageMessage message(String jobId, Stage stage, JobParams params, int attempt, long now) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (String name : List.of("image", "mask")) {
            String key = jobs.keys().input(jobId, name);
            if (redis.exists(key)) {
                refs.put(StageMessage.INPUT + "." + name, key);
            }
        }
        for (Stage before : Stage.values()) {
            if (before.compareTo(stage) >= 0) {
                break;
            }
            if (!params.runs(before)) {
                continue;
            }
            String done = redis.getString(jobs.keys().done(jobId, before)).orElseThrow(() -> new IllegalStateException(
                    "job " + jobId + " has no stored " + before.id() + " output (expired?)"));
            @SuppressWarnings("unchecked")
            Map<String, String> outputs = Json.read(done, Map.class);
            outputs.forEach((name, key) -> refs.put(before.id() + "." + name, key));
        }
        return new StageMessage(jobId, stage, attempt, refs, params, now);
    }
}
