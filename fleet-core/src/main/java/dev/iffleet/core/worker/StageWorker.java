package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.observe.StageMetrics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.StageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The template every stage shares, in three steps so that a job touches Redis once on the way in and once on the way
 * out: {@link #admit} (one script per job: skip ended jobs, replay stored outputs, mark the rest started), {@link #run}
 * of the stage's model hook on the whole batch of admitted jobs (with retries, and one job at a time when a batch
 * fails), and {@link #complete} (one script per job: artifacts, done marker, timings, final state). A stage writes its
 * done marker with its outputs, so a redelivered message whose marker exists is not recomputed.
 */
public abstract class StageWorker {

    private static final Logger LOG = Logger.getLogger(StageWorker.class);

    private final Stage stage;
    private final Collaborators c;
    private final StageStore store;
    private final JobCompletion completion;
    private volatile WorkerState state = WorkerState.STARTING;
    private volatile boolean handingBack;
    /** When the batch now on the model thread was taken (epoch ms), 0 while none is: the liveness watchdog reads it. */
    private volatile long runningSince;

    /**
     * What a worker needs around its model; grouped so subclasses pass one thing up.
     *
     * @param cancels cancel signals of running jobs (pub/sub), asked at every step instead of Redis
     * @param backend the model backend's name, written on every job this worker runs unless {@code torchscript}
     * @param metrics where the Redis scripts' latency goes
     */
    public record Collaborators(
            RedisStore redis, JobStore jobs, EventSink events, RetryPolicy retry, Duration progressInterval,
            String workerId, LongSupplier clock, CancelSignals cancels, String backend, StageMetrics metrics) {

        /** Collaborators that report no metrics. */
        public Collaborators(RedisStore redis, JobStore jobs, EventSink events, RetryPolicy retry,
                Duration progressInterval, String workerId, LongSupplier clock, CancelSignals cancels, String backend) {
            this(redis, jobs, events, retry, progressInterval, workerId, clock, cancels, backend, StageMetrics.NONE);
        }

        /** Collaborators without cancel signals on the real backend (tests that drive a worker directly). */
        public Collaborators(RedisStore redis, JobStore jobs, EventSink events, RetryPolicy retry,
                Duration progressInterval, String workerId, LongSupplier clock) {
            this(redis, jobs, events, retry, progressInterval, workerId, clock, CancelSignals.none(), "torchscript");
        }
    }

    /** A record taken from the stage's topic: its message and when it was enqueued (the record's timestamp, ms). */
    public record Delivery(StageMessage message, long enqueuedAt) {}

    protected StageWorker(Stage stage, Collaborators collaborators) {
        this.stage = stage;
        this.c = collaborators;
        this.store = new StageStore(collaborators.redis(), collaborators.jobs().keys(), collaborators.jobs().ttl());
        this.completion = new JobCompletion(stage, collaborators, store);
    }

    /**
     * The one hook: run this stage's model once for the whole batch (jobs that share {@link #batchKey}) and return
     * each job's outputs, in the batch's order; {@code null} for a job the run dropped because it was canceled.
     */
    protected abstract List<Produced> run(List<StageContext> batch) throws Exception;

    /** Loads and runs every component at every batch size up to {@code maxBatch}, so no job pays for it. */
    protected abstract void warmUp(int maxBatch) throws Exception;

    /**
     * Jobs with equal keys may share one model call: everything that changes the computation except what is per image
     * (prompt, seed, input image). The default batches nothing.
     */
    public Object batchKey(StageMessage msg) {
        return msg.jobId();
    }

    public Stage stage() {
        return stage;
    }

    public WorkerState state() {
        return state;
    }

    public String backend() {
        return c.backend();
    }

    public StageMetrics metrics() {
        return c.metrics();
    }

    /** Warms the models up and marks the worker ready (or failed, with the reason logged). */
    public void start(boolean warmup, int maxBatch) {
        start(warmup, maxBatch, () -> {});
    }

    /**
     * Warms the models up, then runs {@code join} (the edge joining its group) while still warming, and only then
     * marks the worker ready: ready means taking work. A failure of either marks it failed, with the reason logged.
     */
    public void start(boolean warmup, int maxBatch, Runnable join) {
        state = WorkerState.WARMING_UP;
        try {
            if (warmup) {
                long t0 = System.nanoTime();
                warmUp(maxBatch);
                LOG.infof("%s worker warmed up (batches up to %d) in %d ms", stage.id(), maxBatch,
                        (System.nanoTime() - t0) / 1_000_000);
            }
            join.run();
            state = WorkerState.READY;
        } catch (Exception | LinkageError e) {
            state = WorkerState.FAILED;
            LOG.errorf(e, "%s worker failed to start: %s", stage.id(), e.getMessage());
        }
    }

    /** Takes no new work from now on (SIGTERM); what is running finishes. */
    public void drain() {
        if (state == WorkerState.READY) {
            state = WorkerState.DRAINING;
        }
    }

    /** Stops the running batch at its next step without finishing it: its records are handed back to the group. */
    public void handBack() {
        handingBack = true;
    }

    public void stop() {
        state = WorkerState.STOPPED;
    }

    /** Admission of each delivery, then one model run for those admitted: what the edge does on the model thread. */
    public List<Pending> admitAndRun(List<Delivery> batch) {
        runningSince = c.clock().getAsLong();
        try {
            List<Pending> pending = new ArrayList<>(batch.size());
            for (Delivery d : batch) {
                pending.add(admit(d));
            }
            List<Pending> runnable = pending.stream().filter(Pending::runs).toList();
            if (!runnable.isEmpty()) {
                new BatchRun(this, c.retry()).run(runnable);
            }
            return pending;
        } finally {
            runningSince = 0;
        }
    }

    /** When the batch now running was taken (epoch ms, this worker's clock); empty while no batch runs. */
    public java.util.OptionalLong runningSince() {
        long t = runningSince;
        return t == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(t);
    }

    /** Stores a job's outputs and says what happens to its record: what the edge does on the completion thread. */
    public Outcome complete(Pending p) {
        return completion.complete(p);
    }

    /**
     * Processes one message alone (admit, run, complete).
     *
     * @return the next stage's message, or empty when the job ends here (or had already ended)
     * @throws StageFailedException when the stage gave up; the job is then marked failed
     * @throws InvalidJobException when the message is not one this stage can read
     */
    public Optional<StageMessage> handle(StageMessage msg) {
        Outcome o = complete(admitAndRun(List.of(new Delivery(msg, msg.enqueuedAt()))).get(0));
        if (o instanceof Outcome.Failed f) {
            throw f.failure();
        }
        if (o instanceof Outcome.Rejected r) {
            throw r.failure();
        }
        return o instanceof Outcome.Next n ? Optional.of(n.message()) : Optional.empty();
    }

    private Pending admit(Delivery d) {
        StageMessage msg = d.message();
        if (msg == null || msg.jobId() == null || msg.stage() == null || msg.params() == null) {
            return Pending.done(msg, new Outcome.Rejected(new InvalidJobException(
                    "incomplete message for " + stage.id() + ": job_id, stage and params are required")));
        }
        if (msg.stage() != stage) {
            return Pending.done(msg, new Outcome.Rejected(new InvalidJobException(
                    "message for stage " + msg.stage().id() + " reached the " + stage.id() + " worker")));
        }
        String invalid = JobCompletion.invalidParams(stage, msg.params());
        if (invalid != null) {
            // checked before the model runs: the job could never finish, so it fails now instead of hanging
            return Pending.done(msg, new Outcome.Failed(giveUp(msg.jobId(), new InvalidJobException(invalid))));
        }
        long now = c.clock().getAsLong();
        long a0 = System.nanoTime();
        StageStore.Admission a = store.admit(msg.jobId(), stage, Math.max(0, now - d.enqueuedAt()), c.workerId(), now);
        long admitNanos = System.nanoTime() - a0;
        c.metrics().redis("admit", admitNanos);
        switch (a.verdict()) {
            case ENDED -> {
                LOG.infof("job %s is %s; %s skips it", msg.jobId(), a.state(), stage.id());
                return Pending.done(msg, new Outcome.Ended());
            }
            case DONE -> {
                LOG.infof("job %s: %s output already stored, not recomputing", msg.jobId(), stage.id());
                return Pending.replay(msg, a.doneJson());
            }
            default -> {
                c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.STAGE_STARTED, now));
                String jobId = msg.jobId();
                StageContext ctx = new StageContext(msg, c.redis(), c.events(), c.progressInterval(), c.clock(),
                        () -> handingBack || c.cancels().canceled(jobId))
                        .withPreviews(new StageContext.PreviewSink(
                                c.jobs().keys().artifact(jobId, stage, Outputs.PREVIEW), c.jobs().ttlFor(msg.params())));
                ctx.countIo(admitNanos);
                return Pending.running(msg, ctx, a.token());
            }
        }
    }

    /** Calls the hook; {@link BatchRun} adds retries and the one-at-a-time fallback around it. */
    List<Produced> callRun(List<StageContext> batch) throws Exception {
        return run(batch);
    }

    /** The outcome of a job whose run stopped early: handed back by a draining worker, else canceled. */
    Outcome stopped(Pending p) {
        if (handingBack) {
            return new Outcome.HandedBack();
        }
        return completion.canceled(p.message());
    }

    /** Marks the job failed with a reason naming this stage, and returns the exception to throw. */
    StageFailedException giveUp(String jobId, Throwable e) {
        return completion.giveUp(jobId, e);
    }
}
