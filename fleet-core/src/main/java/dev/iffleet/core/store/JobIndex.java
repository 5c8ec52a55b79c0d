package dev.iffleet.core.store;

import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the {@code jobs} index (sorted set by creation time): newest-first pages with opaque cursors, and the
 * queue position and ETA estimates of a waiting job. Entries whose record expired are removed as they are met.
 */
public final class JobIndex {

    /** Index entries examined per page at most, so a rare state filter cannot make one request scan everything. */
    static final int SCAN_CAP = 1000;
    /** Older live jobs counted at most for a queue position. */
    static final int POSITION_CAP = 1000;
    private static final int BATCH = 100;

    private final RedisStore redis;
    private final JobStore jobs;

    public JobIndex(RedisStore redis, JobStore jobs) {
        this.redis = redis;
        this.jobs = jobs;
    }

    /** One page of jobs, newest first; {@code next} is null on the last page. */
    public record Page(List<JobRecord> jobs, String next) {}

    /** Where a page starts: after the job created at {@code createdAt} with id {@code id}. */
    public record Cursor(long createdAt, String id) {

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException when {@code s} is no cursor this class wrote */
        public static Cursor decode(String s) {
            String plain = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon <= 0 || colon == plain.length() - 1) {
                throw new IllegalArgumentException("malformed cursor");
            }
            return new Cursor(Long.parseLong(plain.substring(0, colon)), plain.substring(colon + 1));
        }
    }

    /** @param state only jobs in this state, or all when null; @param after the previous page's cursor, or null */
    public Page list(JobState state, int limit, Cursor after) {
        return list(state == null ? job -> true : job -> job.state() == state, limit, after);
    }

    /**
     * @param keep which jobs the page shows (a state filter, the caller's own jobs...); the others are skipped, so
     *     a page may be short and still have a next cursor
     */
    public Page list(Predicate<JobRecord> keep, int limit, Cursor after) {
        String index = jobs.keys().jobsIndex();
        Range<Long> range = Range.from(Range.Boundary.unbounded(),
                after == null ? Range.Boundary.unbounded() : Range.Boundary.including(after.createdAt()));
        List<JobRecord> out = new ArrayList<>();
        int offset = 0;
        int examined = 0;
        while (true) {
            List<ScoredValue<String>> batch = redis.text().zrevrangebyscoreWithScores(index, range, Limit.create(offset, BATCH));
            if (batch.isEmpty()) {
                return new Page(out, null);
            }
            for (ScoredValue<String> e : batch) {
                offset++;
                long createdAt = (long) e.getScore();
                String id = e.getValue();
                // same creation time: members come in reverse lexicographic order, so the seen ones sort at or above
                if (after != null && createdAt == after.createdAt() && id.compareTo(after.id()) >= 0) {
                    continue;
                }
                examined++;
                Optional<JobRecord> job = jobs.find(id);
                if (job.isEmpty()) {
                    redis.text().zrem(index, id);
                    offset--;
                } else if (keep.test(job.get())) {
                    out.add(job.get());
                }
                if (out.size() == limit || examined >= SCAN_CAP) {
                    return new Page(out, new Cursor(createdAt, id).encode());
                }
            }
        }
    }

    /** Queued or running jobs created before this one (an estimate: it ignores how far each has got). */
    public int queuePosition(JobRecord job) {
        List<ScoredValue<String>> older = redis.text().zrevrangebyscoreWithScores(jobs.keys().jobsIndex(),
                Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(job.createdAt())), Limit.create(0, POSITION_CAP));
        int position = 0;
        for (ScoredValue<String> e : older) {
            String s = redis.text().hget(jobs.keys().job(e.getValue()), "state");
            if (JobState.QUEUED.id().equals(s) || JobState.RUNNING.id().equals(s)) {
                position++;
            }
        }
        return position;
    }

    /**
     * Estimated ms until the job ends (see {@link QueueEta}): from the replicas' heartbeats when every stage ahead
     * has a fresh ready one, else each stage's median run time times (1 + queue position). Empty while some stage
     * has no run time yet.
     */
    public Optional<Long> etaMs(JobRecord job, int position) {
        Stage from = job.stage() == null ? Stage.ENCODE : job.stage();
        List<Stage> ahead = new ArrayList<>();
        Map<Stage, Long> medians = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            if (s.compareTo(from) < 0 || s.compareTo(job.params().lastStage()) > 0) {
                continue;
            }
            ahead.add(s);
            List<Long> times = new ArrayList<>(jobs.runTimes(s));
            if (!times.isEmpty()) {
                times.sort(null);
                medians.put(s, times.get(times.size() / 2));
            }
        }
        return QueueEta.etaMs(position, ahead, medians, heartbeats(), System.currentTimeMillis());
    }

    /** Every replica's latest heartbeat ({@code <prefix>workers}); unreadable entries are skipped. */
    public List<WorkerHeartbeat> heartbeats() {
        List<WorkerHeartbeat> out = new ArrayList<>();
        redis.getHash(jobs.keys().workers())
                .forEach((field, json) -> WorkerHeartbeat.parse(field, json).ifPresent(out::add));
        return out;
    }
}
