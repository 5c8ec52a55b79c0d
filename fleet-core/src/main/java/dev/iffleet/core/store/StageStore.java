package dev.iffleet.core.store;

import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stage's two Redis round trips per job, each one script: admission (is the job still live, is this stage's output
 * already stored, mark it started) and completion (every artifact, the done marker, timings and, at the last stage,
 * the final state). A job that ended meanwhile (canceled, failed) is neither started nor written.
 */
public final class StageStore {

    /**
     * Suffix of the per-stage field counting admissions ({@code stage1.admissions}): each admission (and each re-queue
     * by the reaper) bumps it, and its value is the admission's token, which completion must still match.
     */
    public static final String ADMISSIONS = ".admissions";

    // KEYS: job, done marker. ARGV: stage, now, queued ms, worker, default ttl ms
    private static final String ADMIT = "local s = redis.call('hget', KEYS[1], 'state') "
            + "if not s then return {'gone'} end "
            + "if s == 'succeeded' or s == 'failed' or s == 'canceled' then return {s} end "
            + "local d = redis.call('get', KEYS[2]) "
            + "if d then return {'done', d} end "
            + "redis.call('hset', KEYS[1], 'state', 'running', 'stage', ARGV[1], 'updated_at', ARGV[2], "
            + "  ARGV[1] .. '.queued_ms', ARGV[3], ARGV[1] .. '.started_at', ARGV[2], ARGV[1] .. '.worker', ARGV[4]) "
            + "local n = redis.call('hincrby', KEYS[1], ARGV[1] .. '" + ADMISSIONS + "', 1) "
            + "local own = redis.call('hget', KEYS[1], '" + JobRecord.RETENTION_MS + "') "
            + "redis.call('pexpire', KEYS[1], own and tonumber(own) or tonumber(ARGV[5])) "
            + "return {'run', tostring(n)}";

    // KEYS: job, done marker, run-times list, artifacts... ARGV: ttl ms, done json, run ms, kept run times,
    // last ('1' ends the job), now, n field pairs, admission token, admissions field, the pairs, then one value per
    // artifact key. A token that is no longer the stage's latest admission (the job was admitted again, or re-queued by
    // the reaper, since) stores nothing: only the latest run of a stage may complete it.
    private static final String COMPLETE = "local s = redis.call('hget', KEYS[1], 'state') "
            + "if not s then return 0 end "
            + "if s == 'succeeded' or s == 'failed' or s == 'canceled' then return 2 end "
            + "if redis.call('hget', KEYS[1], ARGV[9]) ~= ARGV[8] then return 3 end "
            + "local ttl = tonumber(ARGV[1]) "
            + "local n = tonumber(ARGV[7]) "
            + "local a = 10 + 2 * n "
            + "for i = 4, #KEYS do redis.call('set', KEYS[i], ARGV[a + i - 4], 'px', ttl) end "
            + "redis.call('set', KEYS[2], ARGV[2], 'px', ttl) "
            + "if n > 0 then redis.call('hset', KEYS[1], unpack(ARGV, 10, 9 + 2 * n)) end "
            + "if ARGV[5] == '1' then redis.call('hset', KEYS[1], 'state', 'succeeded', 'updated_at', ARGV[6]) end "
            + "local own = redis.call('hget', KEYS[1], '" + JobRecord.RETENTION_MS + "') "
            + "redis.call('pexpire', KEYS[1], own and tonumber(own) or ttl) "
            + "redis.call('lpush', KEYS[3], ARGV[3]) "
            + "redis.call('ltrim', KEYS[3], 0, tonumber(ARGV[4]) - 1) "
            + "return 1";

    private final RedisStore redis;
    private final Keys keys;
    private final Duration defaultTtl;

    public StageStore(RedisStore redis, Keys keys, Duration defaultTtl) {
        this.redis = redis;
        this.keys = keys;
        this.defaultTtl = defaultTtl;
    }

    /** What admission found. */
    public enum Verdict {
        /** The job is live and this stage has not stored its output: run it (the job is now marked started). */
        RUN,
        /** This stage's output is already stored (a redelivery): hand the job on without recomputing. */
        DONE,
        /** The job ended (succeeded, failed, canceled) or is gone: nothing to do. */
        ENDED
    }

    /**
     * @param state the job's state when it ended (or {@code gone}), for logs
     * @param doneJson the stored outputs' keys by name (JSON) when {@link Verdict#DONE}
     * @param token this admission's number when {@link Verdict#RUN}: completion stores outputs only while it is the
     *     stage's latest
     */
    public record Admission(Verdict verdict, String state, String doneJson, String token) {}

    public Admission admit(String jobId, Stage stage, long queuedMs, String worker, long now) {
        List<Object> r = redis.text().eval(ADMIT, ScriptOutputType.MULTI,
                new String[] {keys.job(jobId), keys.done(jobId, stage)},
                stage.id(), Long.toString(now), Long.toString(queuedMs), worker, Long.toString(defaultTtl.toMillis()));
        String verdict = String.valueOf(r.get(0));
        return switch (verdict) {
            case "run" -> new Admission(Verdict.RUN, "running", null, String.valueOf(r.get(1)));
            case "done" -> new Admission(Verdict.DONE, "running", String.valueOf(r.get(1)), null);
            default -> new Admission(Verdict.ENDED, verdict, null, null);
        };
    }

    /**
     * Whether completion stored the outputs, found the job ended (its outputs are then not kept), or found that a later
     * admission (a redelivery, or the reaper's re-queue of a run presumed lost) superseded this run.
     */
    public enum Completion { STORED, ENDED, SUPERSEDED }

    /**
     * Stores a finished stage's artifacts (by full key), its done marker and job fields in one script.
     *
     * @param token the run's admission token ({@link Admission#token()})
     * @param last whether the job ends at this stage: it is then marked succeeded in the same script
     */
    public Completion complete(String jobId, Stage stage, String token, Map<String, byte[]> artifacts, String doneJson,
            Map<String, String> fields, long runMs, boolean last, Duration ttl, long now) {
        List<byte[]> k = new ArrayList<>();
        k.add(b(keys.job(jobId)));
        k.add(b(keys.done(jobId, stage)));
        k.add(b(keys.runTimes(stage)));
        artifacts.keySet().forEach(key -> k.add(b(key)));
        List<byte[]> a = new ArrayList<>();
        a.add(b(Long.toString(Math.max(1, ttl.toMillis()))));
        a.add(b(doneJson));
        a.add(b(Long.toString(runMs)));
        a.add(b(Integer.toString(JobStore.RUN_TIMES_KEPT)));
        a.add(b(last ? "1" : "0"));
        a.add(b(Long.toString(now)));
        a.add(b(Integer.toString(fields.size())));
        a.add(b(token));
        a.add(b(stage.id() + ADMISSIONS));
        fields.forEach((f, v) -> {
            a.add(b(f));
            a.add(b(v));
        });
        a.addAll(artifacts.values());
        long r = redis.evalBinary(COMPLETE, k, a);
        return r == 1 ? Completion.STORED : r == 3 ? Completion.SUPERSEDED : Completion.ENDED;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
