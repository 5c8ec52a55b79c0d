package dev.iffleet.bench;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.launcher.FleetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed loop of jobs: {@code inflight} clients each submit a job, wait until it ends (its event, see
 * {@link JobEnds}) and submit the next, until {@code total} were submitted; then every job's record is read back
 * from Redis. Hearing of the end from the events topic instead of polling keeps the clients' own load small and
 * resubmits at once.
 */
final class LoadRun {

    /** One finished job's record hash. */
    record Job(String id, Map<String, String> hash) {

        Long num(String field) {
            String v = hash.get(field);
            return v == null ? null : Long.valueOf(v);
        }

        boolean succeeded() {
            return "succeeded".equals(hash.get("state"));
        }
    }

    private LoadRun() {}

    static List<Job> run(FleetClient gateway, RedisStore redis, JobEnds ends, String body, int inflight, int total, Duration timeout) {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(inflight);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < inflight; c++) {
                clients.add(pool.submit(() -> {
                    while (submitted.getAndIncrement() < total) {
                        String id = gateway.submit(body);
                        ids.add(id);
                        ends.await(id, deadline);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("load run failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        List<Job> jobs = new ArrayList<>();
        for (String id : ids) {
            jobs.add(new Job(id, redis.getHash("job:" + id)));
        }
        return jobs;
    }

    /** Runs one job and returns its record. */
    static Job one(FleetClient gateway, RedisStore redis, JobEnds ends, String body, Duration timeout) {
        return run(gateway, redis, ends, body, 1, 1, timeout).get(0);
    }

    /**
     * Images per minute through {@code stage} from its finishing times: (n - parallel) / (last - first), where
     * {@code parallel} jobs finish together at the start (one per replica, or a batch): with r replicas each
     * finishing k jobs every T ms that is exactly r / T. The closed loop keeps the bottleneck's queue full to the
     * end, so the drain costs no accuracy.
     */
    static double perMinute(List<Job> jobs, String stage, int parallel) {
        List<Long> done = new ArrayList<>();
        for (Job j : jobs) {
            Long f = j.num(stage + ".finished_at");
            if (f != null && j.succeeded()) {
                done.add(f);
            }
        }
        Collections.sort(done);
        // a batch ends together: the jobs that finished with the first one count as starting the clock too
        int together = 0;
        while (together < done.size() && done.get(together) - done.get(0) <= 100) {
            together++;
        }
        parallel = Math.max(parallel, together);
        if (done.size() <= parallel || done.size() < 2) {
            return Double.NaN;
        }
        long span = done.get(done.size() - 1) - done.get(0);
        return span <= 0 ? Double.NaN : (done.size() - parallel) * 60_000.0 / span;
    }

    /** Mean of {@code <stage>.batch} over the jobs that have it, or NaN when none has (the edge does not batch). */
    static double meanBatch(List<Job> jobs, String stage) {
        return jobs.stream().map(j -> j.num(stage + ".batch")).filter(b -> b != null).mapToLong(Long::longValue)
                .average().orElse(Double.NaN);
    }

    static long failed(List<Job> jobs) {
        return jobs.stream().filter(j -> !j.succeeded()).count();
    }
}
