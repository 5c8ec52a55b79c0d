package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What a stage's model hook sees of its job: parameters, earlier artifacts (read from Redis, with the
 * time it took counted as I/O) and a throttled progress reporter.
 */
public final class StageContext {

    private final StageMessage message;
    private final RedisStore redis;
    private final EventSink events;
    private final Duration progressInterval;
    private final LongSupplier clock;
    private long ioNanos;
    private boolean progressReported;
    private long lastProgressAt;
    private int steps;
    private final BooleanSupplier canceled;
    private PreviewSink previews;
    private final java.util.SortedSet<Integer> flagged = new java.util.TreeSet<>();

    StageContext(StageMessage message, RedisStore redis, EventSink events, Duration progressInterval, LongSupplier clock) {
        this(message, redis, events, progressInterval, clock, () -> false);
    }

    /** @param canceled asked after every step; true stops the run with a {@link JobCanceledException} */
    StageContext(StageMessage message, RedisStore redis, EventSink events, Duration progressInterval, LongSupplier clock,
            BooleanSupplier canceled) {
        this.canceled = canceled;
        this.message = message;
        this.redis = redis;
        this.events = events;
        this.progressInterval = progressInterval;
        this.clock = clock;
    }

    public StageMessage message() {
        return message;
    }

    public JobParams params() {
        return message.params();
    }

    public String jobId() {
        return message.jobId();
    }

    /** Bytes of an earlier stage's artifact; a missing one means the job expired or was tampered with. */
    public byte[] artifact(Stage producer, String name) {
        String key;
        try {
            key = message.artifact(producer, name);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(e.getMessage(), e);
        }
        return read(key);
    }

    /** Bytes of one of the caller's uploads ({@code "image"}, {@code "mask"}). */
    public byte[] input(String name) {
        String key;
        try {
            key = message.input(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(e.getMessage(), e);
        }
        return read(key);
    }

    public boolean hasInput(String name) {
        return message.hasInput(name);
    }

    private byte[] read(String key) {
        long t0 = System.nanoTime();
        try {
            return redis.getBytes(key).orElseThrow(() -> new InvalidJobException(
                    "artifact " + key + " is gone (expired or deleted)"));
        } finally {
            ioNanos += System.nanoTime() - t0;
        }
    }

    /**
     * Reports step {@code step} of {@code total}; sends at most one event per interval, and always the last.
     *
     * @throws JobCanceledException when the job was canceled: samplers call this after every step and stop
     */
    public void progress(int step, int total) {
        if (canceled()) {
            throw new JobCanceledException(message.jobId());
        }
        report(step, total);
    }

    /** Like {@link #progress} but never throws: a batch reports each live job and drops canceled ones itself. */
    public void report(int step, int total) {
        steps = Math.max(steps, total);
        long now = clock.getAsLong();
        if (step == total || !progressReported || now - lastProgressAt >= progressInterval.toMillis()) {
            progressReported = true;
            lastProgressAt = now;
            events.publish(JobEvent.progress(message.jobId(), message.stage(), step, total, now));
        }
    }

    /** The most steps the run reported for this job (0 until it reports any: the encoder never does). */
    public int steps() {
        return steps;
    }

    /** Whether the job was canceled (or is being handed back by a draining worker) since it started here. */
    public boolean canceled() {
        return canceled.getAsBoolean();
    }

    /**
     * Marks images of this stage's output (batch indices) as flagged by the pack's safety checker: the stage has
     * replaced them, and the job view says so.
     */
    public void flag(java.util.List<Integer> indices) {
        flagged.addAll(indices);
    }

    java.util.List<Integer> flagged() {
        return java.util.List.copyOf(flagged);
    }

    /**
     * Stores a preview PNG of the running stage (replacing the last one) and announces it with a {@code preview}
     * event; previews expire with the job.
     */
    public void preview(byte[] png, int step, int total) {
        if (previews == null) {
            throw new IllegalStateException("this context stores no previews");
        }
        // a preview is written while the model runs: its time is the run's (run_ms), not the hop's (io_ms)
        redis.putBytes(previews.key(), png, previews.ttl());
        events.publish(JobEvent.preview(message.jobId(), message.stage(), step, total, clock.getAsLong()));
    }

    /** Where {@link #preview} writes. */
    record PreviewSink(String key, Duration ttl) {}

    StageContext withPreviews(PreviewSink sink) {
        this.previews = sink;
        return this;
    }

    /** Adds Redis time spent for this job outside the context (its admission script). */
    void countIo(long nanos) {
        ioNanos += nanos;
    }

    /** The hop's Redis time: admission and input reads (io_ms). */
    long ioMillis() {
        return ioNanos / 1_000_000;
    }

    long ioNanos() {
        return ioNanos;
    }
}
