package dev.iffleet.gateway.webhook;

import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveries in Redis: a hash per delivery, its attempts as a list, the job's deliveries as a list, and the
 * schedule as the sorted set {@code webhook:due} (score = next attempt, epoch ms) shared by all replicas.
 */
final class DeliveryStore {

    // a due delivery is claimed by moving its score to the end of its lease: only one replica sees it still due
    private static final String CLAIM = "local s = redis.call('zscore', KEYS[1], ARGV[1]) "
            + "if s and tonumber(s) <= tonumber(ARGV[2]) then redis.call('zadd', KEYS[1], ARGV[3], ARGV[1]) return 1 end "
            + "return 0";

    private final RedisStore redis;
    private final Keys keys;
    private final Duration ttl;

    DeliveryStore(RedisStore redis, Keys keys, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
    }

    String dueKey() {
        return keys.prefix() + "webhook:due";
    }

    String key(String id) {
        return keys.prefix() + "webhook:delivery:" + id;
    }

    String jobKey(String jobId) {
        return keys.job(jobId) + ":deliveries";
    }

    void create(Delivery d) {
        redis.putHash(key(d.id()), d.toHash(), ttl);
        redis.text().rpush(jobKey(d.jobId()), d.id());
        redis.text().pexpire(jobKey(d.jobId()), ttl.toMillis());
        schedule(d.id(), d.nextAt());
    }

    void schedule(String id, long at) {
        redis.text().zadd(dueKey(), (double) at, id);
    }

    Optional<Delivery> find(String id) {
        Map<String, String> h = redis.getHash(key(id));
        return h.isEmpty() ? Optional.empty() : Optional.of(Delivery.fromHash(id, h));
    }

    List<String> ofJob(String jobId) {
        return redis.text().lrange(jobKey(jobId), 0, -1);
    }

    List<Attempt> attempts(String id) {
        return redis.text().lrange(key(id) + ":attempts", 0, -1).stream().map(a -> Json.read(a, Attempt.class)).toList();
    }

    /** Ids of up to {@code max} deliveries due by {@code now}, each now reserved to this caller until {@code leaseUntil}. */
    List<String> claimDue(long now, long leaseUntil, int max) {
        List<String> due = redis.text().zrangebyscore(dueKey(), Range.create(Double.NEGATIVE_INFINITY, (double) now),
                Limit.create(0, max));
        return due.stream().filter(id -> {
            Long won = redis.text().eval(CLAIM, ScriptOutputType.INTEGER, new String[] {dueKey()},
                    id, Long.toString(now), Long.toString(leaseUntil));
            return won != null && won == 1L;
        }).toList();
    }

    /** Counts an attempt as started (so a crash mid-POST still moves the schedule on). */
    int startAttempt(String id) {
        return redis.text().hincrby(key(id), "attempts", 1).intValue();
    }

    /** Records an attempt's outcome and either schedules the next one ({@code nextAt} > 0) or ends the delivery. */
    void finishAttempt(String id, Attempt attempt, Delivery.Status status, long nextAt) {
        String attemptsKey = key(id) + ":attempts";
        redis.text().rpush(attemptsKey, Json.write(attempt));
        redis.text().pexpire(attemptsKey, ttl.toMillis());
        Map<String, String> f = new java.util.HashMap<>();
        f.put("status", status.id());
        f.put("next_at", Long.toString(nextAt));
        f.put("last_code", attempt.code() == null ? "" : attempt.code().toString());
        f.put("last_error", attempt.error() == null ? "" : attempt.error());
        redis.updateHash(key(id), f, ttl);
        if (status == Delivery.Status.PENDING) {
            schedule(id, nextAt);
        } else {
            unschedule(id);
        }
    }

    /** Sends a delivery again now, with a fresh schedule. */
    void requeue(String id, long now) {
        redis.updateHash(key(id), Map.of("status", Delivery.Status.PENDING.id(), "attempts", "0",
                "next_at", Long.toString(now)), ttl);
        schedule(id, now);
    }

    void unschedule(String id) {
        redis.text().zrem(dueKey(), id);
    }
}
