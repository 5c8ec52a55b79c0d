package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A key's submission rate (a counter per fixed minute window) and its concurrent-job quota. The quota lives in one
 * sorted set per key: its unfinished job ids, and reservations ({@code pending:<token>}, scored by when they lapse)
 * of submissions under way. Checking the quota and reserving a place is one Redis script, so parallel submissions of
 * a key can never pass it together; a reservation becomes the job's id once the job exists, or is given back.
 * A job's place is released when the job ends: the script drops finished or expired jobs each time it counts.
 */
public final class AccessLimits {

    // KEYS[1] = the key's quota set; ARGV = job record key prefix, max jobs, now (ms), token, reservation end (ms),
    // set TTL (ms). Returns 1 and reserves when under the quota, else 0
    private static final String RESERVE = "local n = 0 "
            + "local all = redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES') "
            + "for i = 1, #all, 2 do "
            + "  local m = all[i] local live "
            + "  if string.sub(m, 1, 8) == 'pending:' then live = tonumber(all[i + 1]) > tonumber(ARGV[3]) "
            + "  else local s = redis.call('hget', ARGV[1] .. m, 'state') "
            + "    live = s and s ~= 'succeeded' and s ~= 'failed' and s ~= 'canceled' end "
            + "  if live then n = n + 1 else redis.call('zrem', KEYS[1], m) end end "
            + "if n >= tonumber(ARGV[2]) then return 0 end "
            + "redis.call('zadd', KEYS[1], ARGV[5], 'pending:' .. ARGV[4]) "
            + "redis.call('pexpire', KEYS[1], ARGV[6]) "
            + "return 1";

    // KEYS[1] = the key's quota set; ARGV = token, job id (empty: the submission made no job), set TTL (ms)
    private static final String SETTLE = "redis.call('zrem', KEYS[1], 'pending:' .. ARGV[1]) "
            + "if ARGV[2] ~= '' then redis.call('zadd', KEYS[1], 0, ARGV[2]) redis.call('pexpire', KEYS[1], ARGV[3]) end "
            + "return 1";

    private static final String COUNT = "local n = redis.call('incr', KEYS[1]) redis.call('pexpire', KEYS[1], ARGV[1]) "
            + "return n";

    private final RedisStore redis;
    private final AuthKeys keys;
    private final Duration activeTtl;
    private final Duration reservation;

    /**
     * @param activeTtl how long a key's quota set outlives its last submission (the longest retention)
     * @param reservation how long a place stays reserved for a submission under way (longer than any submission takes,
     *     sync waits included): a gateway that dies mid-submission gives the place back after it
     */
    public AccessLimits(RedisStore redis, AuthKeys keys, Duration activeTtl, Duration reservation) {
        this.redis = redis;
        this.keys = keys;
        this.activeTtl = activeTtl;
        this.reservation = reservation;
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
        Long n = redis.text().eval(COUNT, ScriptOutputType.INTEGER, new String[] {keys.rate(hash, RateWindow.of(nowMs))},
                Long.toString(RateWindow.counterTtlMs()));
        return n != null && n > perMinute ? OptionalLong.of(RateWindow.retryAfterSeconds(nowMs)) : OptionalLong.empty();
    }

    /**
     * Reserves a place for one more job of the key, if it has fewer than {@code max} unfinished jobs and reservations.
     *
     * @return the reservation's token, to {@link #settle} when the submission is answered; empty when over the quota
     */
    public Optional<String> reserve(String hash, int max, long nowMs) {
        String token = UUID.randomUUID().toString();
        Long won = redis.text().eval(RESERVE, ScriptOutputType.INTEGER, new String[] {keys.quota(hash)},
                keys.jobPrefix(), Integer.toString(max), Long.toString(nowMs), token,
                Long.toString(nowMs + reservation.toMillis()), Long.toString(activeTtl.toMillis()));
        return won != null && won == 1L ? Optional.of(token) : Optional.empty();
    }

    /** Turns a reservation into the job it was for, or gives it back when {@code jobId} is null (no job was made). */
    public void settle(String hash, String token, String jobId) {
        redis.text().eval(SETTLE, ScriptOutputType.INTEGER, new String[] {keys.quota(hash)},
                token, jobId == null ? "" : jobId, Long.toString(activeTtl.toMillis()));
    }
}
