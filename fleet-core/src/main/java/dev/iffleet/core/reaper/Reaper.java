package dev.iffleet.core.reaper;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.worker.EventSink;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Finds jobs stuck at a stage ({@link StuckJobs}) among the recent live ones and settles each: its stage is reset and
 * its message published again (at most {@link Deadlines#maxRequeues()} times per stage), or it fails with the reason,
 * so no job stays {@code running} forever. Safe with several reapers: each job is settled by one script that acts only
 * on the state the reaper saw, and the stage's admission counter it bumps makes a late completion of the presumed-lost
 * run store nothing.
 */
public final class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);

    /** What a sweep found and did. */
    public record Sweep(List<StuckJob> stuck, int requeued, int failed) {}

    private final RedisStore redis;
    private final JobStore jobs;
    private final StuckJobs rules;
    private final ReaperStore store;
    private final Supplier<Map<Stage, Long>> lag;
    private final Consumer<StageMessage> send;
    private final EventSink events;
    private final Duration horizon;
    private final int maxJobs;

    /**
     * @param lag each stage's consumer lag now (stages left out: unknown)
     * @param send publishes a stage's message (and waits until Kafka has it)
     * @param horizon only jobs created this recently are looked at
     * @param maxJobs at most this many of the newest of them per sweep
     */
    public Reaper(RedisStore redis, JobStore jobs, Deadlines deadlines, Supplier<Map<Stage, Long>> lag,
            Consumer<StageMessage> send, EventSink events, Duration horizon, int maxJobs) {
        this.redis = redis;
        this.jobs = jobs;
        this.rules = new StuckJobs(deadlines);
        this.store = new ReaperStore(redis, jobs);
        this.lag = lag;
        this.send = send;
        this.events = events;
        this.horizon = horizon;
        this.maxJobs = maxJobs;
    }

    public Deadlines deadlines() {
        return rules.deadlines();
    }

    /** The stuck jobs now, changing nothing ({@code ./fleet jobs stuck}). */
    public List<StuckJob> find(long now) {
        List<String> recent = redis.text().zrevrangebyscore(jobs.keys().jobsIndex(),
                Range.create(now - horizon.toMillis(), Double.POSITIVE_INFINITY), Limit.create(0, maxJobs));
        List<String> live = store.live(recent);
        if (live.isEmpty()) {
            return List.of();
        }
        Map<String, StuckJobs.Beat> beats = StuckJobs.beats(redis.getHash(jobs.keys().workers()));
        Map<Stage, Long> lagNow = lag.get();
        List<StuckJob> stuck = new ArrayList<>();
        for (String id : live) {
            try {
                rules.check(id, redis.getHash(jobs.keys().job(id)), beats, lagNow, now).ifPresent(stuck::add);
            } catch (RuntimeException e) {
                // a record no worker writes (a hand-edited stage name...): not one to settle, and not a reason to stop
                LOG.debugf("job %s not checked: %s", id, e.getMessage());
            }
        }
        return stuck;
    }

    /** Finds the stuck jobs and settles each; a job another reaper settled first is left alone. */
    public Sweep sweep(long now) {
        List<StuckJob> stuck = find(now);
        int requeued = 0;
        int failed = 0;
        for (StuckJob job : stuck) {
            try {
                switch (settle(job, now)) {
                    case REQUEUED -> requeued++;
                    case FAILED -> failed++;
                    default -> { }
                }
            } catch (RuntimeException e) {
                LOG.warnf("job %s stuck at %s not settled: %s", job.jobId(), job.stage().id(), e.getMessage());
            }
        }
        return new Sweep(stuck, requeued, failed);
    }

    private ReaperStore.Settled settle(StuckJob job, long now) {
        Optional<StageMessage> msg = Optional.empty();
        String reason = job.failureReason();
        int max = rules.deadlines().maxRequeues();
        if (job.requeues() < max) {
            try {
                msg = Optional.of(store.message(job.jobId(), job.stage(), params(job.jobId()), job.requeues() + 2, now));
            } catch (RuntimeException e) {
                // without its inputs the stage can never run again: fail now rather than re-queue in vain
                reason = job.stage().id() + ": stuck, " + job.cause().id() + " (" + job.detail()
                        + "); cannot re-queue: " + e.getMessage();
                max = 0;
            }
        }
        ReaperStore.Settled settled = store.settle(job, max, reason, now);
        switch (settled) {
            case REQUEUED -> {
                LOG.infof("job %s stuck at %s (%s: %s): re-queued (%d of %d)", job.jobId(), job.stage().id(),
                        job.cause().id(), job.detail(), job.requeues() + 1, max);
                // a send that fails leaves the job waiting for its stage: the next sweeps see a lost message again
                send.accept(msg.orElseThrow());
            }
            case FAILED -> {
                LOG.warnf("job %s failed: %s", job.jobId(), reason);
                events.publish(JobEvent.failed(job.jobId(), job.stage(), reason, now));
            }
            default -> LOG.debugf("job %s moved on before the reaper acted", job.jobId());
        }
        return settled;
    }

    private JobParams params(String jobId) {
        String json = redis.text().hget(jobs.keys().job(jobId), "params");
        if (json == null) {
            throw new IllegalStateException("job " + jobId + " is gone");
        }
        return Json.read(json, JobParams.class);
    }
}
