package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A key's submission rate (a counter per fixed minute window) and its concurrent-job quota (a set of its job ids,
 * pruned of finished or expired jobs when checked). The quota is checked before a submission and the job added after
 * it, so parallel submissions of one key may briefly exceed it by the number in flight.
 */
public final class AccessLimits {

    // drops ids whose job record is gone or terminal, counts the rest; ARGV[1] = prefix of job record keys
    private static final String ACTIVE = "local n = 0 "
            + "for _, id in ipairs(redis.call('smembers', KEYS[1])) do "
            + "  local s = redis.call('hget', ARGV[1] .. id, 'state') "
            + "  if (not s) or s == 'succeeded' or s == 'failed' or s == 'canceled' then redis.call('srem', KEYS[1], id) "
            + "  else n = n + 1 end end "
            + "return n";

    private final RedisStore redis;
    private final AuthKeys keys;
    private final Duration activeTtl;

    /** @param activeTtl how long a key's set of active jobs outlives its last submission (the longest retention) */
    public AccessLimits(RedisStore redis, AuthKeys keys, Duration activeTtl) {
        this.redis = redis;
        this.keys = keys;
        this.activeTtl = activeTtl;
    }

    /**
     * Counts one submission in the current window.
     *
     * @return empty when allowed, else the seconds until the next window
     */
    public OptionalLong takeSubmission(String hash, int perMinute, long nowMs) {
        if (perMinute <= 0) {
            return OptionalLong.empty();
        }
        String counter = keys.rate(hash, RateWindow.of(nowMs));
        long n = redis.text().incr(counter);
        redis.text().pexpire(counter, RateWindow.counterTtlMs());
        return n > perMinute ? OptionalLong.of(RateWindow.retryAfterSeconds(nowMs)) : OptionalLong.empty();
    }

    /** The key's jobs that are neither finished nor expired. */
    public long activeJobs(String hash) {
        Long n = redis.text().eval(ACTIVE, ScriptOutputType.INTEGER, new String[] {keys.active(hash)}, keys.jobPrefix());
        return n == null ? 0 : n;
    }

    public void addActiveJob(String hash, String jobId) {
        redis.text().sadd(keys.active(hash), jobId);
        redis.text().pexpire(keys.active(hash), activeTtl.toMillis());
    }
}
