package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.model.ModelUnavailableException;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The loop every stage shares: skip finished or dead jobs, record timings and state, run the model hook
 * with retries, store outputs with a TTL, then hand back the next stage's message. A stage writes its
 * outputs first and a "done" marker last, so a redelivered message whose marker exists is not recomputed.
 */
public abstract class StageWorker {

    private static final Logger LOG = Logger.getLogger(StageWorker.class);

    private final Stage stage;
    private final Collaborators c;
    private volatile WorkerState state = WorkerState.STARTING;

    /** What a worker needs around its model; grouped so subclasses pass one thing up. */
    public record Collaborators(
            RedisStore redis, JobStore jobs, EventSink events, RetryPolicy retry, Duration progressInterval,
            String workerId, LongSupplier clock) {}

    protected StageWorker(Stage stage, Collaborators collaborators) {
        this.stage = stage;
        this.c = collaborators;
    }

    /** The one hook: run this stage's model for the job and return its outputs by name. */
    protected abstract Map<String, byte[]> run(StageContext context) throws Exception;

    /** Loads and runs every component once so the first job does not pay for it. */
    protected abstract void warmUp() throws Exception;

    public Stage stage() {
        return stage;
    }

    public WorkerState state() {
        return state;
    }

    /** Warms the models up and marks the worker ready (or failed, with the reason logged). */
    public void start(boolean warmup) {
        state = WorkerState.WARMING_UP;
        try {
            if (warmup) {
                long t0 = System.nanoTime();
                warmUp();
                LOG.infof("%s worker warmed up in %d ms", stage.id(), (System.nanoTime() - t0) / 1_000_000);
            }
            state = WorkerState.READY;
        } catch (Exception | LinkageError e) {
            state = WorkerState.FAILED;
            LOG.errorf(e, "%s worker failed to start: %s", stage.id(), e.getMessage());
        }
    }

    public void stop() {
        state = WorkerState.STOPPED;
    }

    /**
     * Processes one message.
     *
     * @return the next stage's message, or empty when the job ends here (or had already ended)
     * @throws StageFailedException when the stage gave up; the job is then marked failed
     */
    public Optional<StageMessage> handle(StageMessage msg) {
        if (msg.jobId() == null || msg.stage() == null || msg.params() == null) {
            throw new InvalidJobException("incomplete message for " + stage.id() + ": job_id, stage and params are required");
        }
        if (msg.stage() != stage) {
            throw new InvalidJobException("message for stage " + msg.stage().id() + " reached the " + stage.id() + " worker");
        }
        Optional<JobRecord> job = c.jobs().find(msg.jobId());
        if (job.isEmpty() || job.get().state().terminal()) {
            LOG.infof("job %s is %s; %s skips it", msg.jobId(), job.map(j -> j.state().id()).orElse("gone"), stage.id());
            return Optional.empty();
        }
        String invalid = invalidParams(msg.params());
        if (invalid != null) {
            // checked before the model runs: the job could never finish, so it fails now instead of hanging
            throw giveUp(msg.jobId(), new InvalidJobException(invalid));
        }
        String doneKey = c.jobs().keys().done(msg.jobId(), stage);
        Optional<String> done = c.redis().getString(doneKey);
        if (done.isPresent()) {
            LOG.infof("job %s: %s output already stored, not recomputing", msg.jobId(), stage.id());
            @SuppressWarnings("unchecked")
            Map<String, String> outputs = Json.read(done.get(), Map.class);
            return finish(msg, outputs);
        }
        long now = c.clock().getAsLong();
        if (!c.jobs().stageStarted(msg.jobId(), stage, Math.max(0, now - msg.enqueuedAt()), c.workerId(), now)) {
            // canceled (or gone) between the lookup and the start: the job never starts here
            LOG.infof("job %s ended before %s started; skipping it", msg.jobId(), stage.id());
            return Optional.empty();
        }
        c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.STAGE_STARTED, now));

        StageContext ctx = new StageContext(msg, c.redis(), c.events(), c.progressInterval(), c.clock(),
                () -> c.jobs().canceled(msg.jobId()))
                .withPreviews(new StageContext.PreviewSink(
                        c.jobs().keys().artifact(msg.jobId(), stage, Outputs.PREVIEW), c.jobs().ttlFor(msg.params())));
        long t0 = System.nanoTime();
        Map<String, byte[]> produced;
        try {
            produced = runWithRetries(ctx);
            if (c.jobs().canceled(msg.jobId())) {
                // a stage without steps (the encoder) learns of the cancel only here: its outputs are not kept
                throw new JobCanceledException(msg.jobId());
            }
        } catch (JobCanceledException e) {
            return canceled(msg);
        }
        long runMs = (System.nanoTime() - t0) / 1_000_000 - ctx.ioMillis();

        Duration ttl = c.jobs().ttlFor(msg.params());
        long w0 = System.nanoTime();
        Map<String, String> outputs = store(msg.jobId(), produced, ttl);
        c.redis().putString(doneKey, Json.write(outputs), ttl);
        long ioMs = ctx.ioMillis() + (System.nanoTime() - w0) / 1_000_000;
        c.jobs().stageFinished(msg.jobId(), stage, runMs, ioMs, c.clock().getAsLong(), ctx.flagged());
        c.jobs().recordRunTime(stage, runMs);
        return finish(msg, outputs);
    }

    /** The run stopped because the job was canceled: nothing to retry or dead-letter, the message is acked. */
    private Optional<StageMessage> canceled(StageMessage msg) {
        LOG.infof("job %s was canceled; %s stopped", msg.jobId(), stage.id());
        c.events().publish(JobEvent.canceled(msg.jobId(), stage, c.clock().getAsLong()));
        return Optional.empty();
    }

    private Map<String, byte[]> runWithRetries(StageContext ctx) {
        String jobId = ctx.jobId();
        for (int attempt = 1; ; attempt++) {
            try {
                return run(ctx);
            } catch (JobCanceledException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                boolean again = c.retry().retryable(e) && attempt < c.retry().maxAttempts();
                LOG.warnf("job %s: %s attempt %d failed%s: %s", jobId, stage.id(), attempt,
                        again ? ", retrying" : ", giving up", e.getMessage());
                if (!again) {
                    throw giveUp(jobId, e);
                }
                sleep(c.retry().delayBefore(attempt + 1));
            }
        }
    }

    /** Marks the job failed with a reason naming this stage, and returns the exception to throw. */
    private StageFailedException giveUp(String jobId, Throwable e) {
        String reason = stage.id() + ": " + describe(e);
        long now = c.clock().getAsLong();
        c.jobs().failed(jobId, stage, errorCode(e), reason, now);
        c.events().publish(JobEvent.failed(jobId, stage, reason, now));
        return new StageFailedException(reason, e);
    }

    /** Why the job's parameters cannot get through this stage, or null when they can. */
    private String invalidParams(JobParams params) {
        Stage last;
        try {
            last = params.lastStage();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (last.compareTo(stage) < 0) {
            return "job ends at " + last.id() + " (output size " + params.outputSize() + "), not at " + stage.id();
        }
        if (last.compareTo(params.firstDiffusionStage()) < 0) {
            return "job starts at " + params.firstDiffusionStage().id() + " but ends at " + last.id();
        }
        return params.runs(stage) ? null : params.effectiveMode().id() + " job does not run " + stage.id();
    }

    private Map<String, String> store(String jobId, Map<String, byte[]> produced, Duration ttl) {
        Map<String, String> keys = new LinkedHashMap<>();
        produced.forEach((name, bytes) -> {
            String key = c.jobs().keys().artifact(jobId, stage, name);
            c.redis().putBytes(key, bytes, ttl);
            keys.put(name, key);
        });
        return keys;
    }

    private Optional<StageMessage> finish(StageMessage msg, Map<String, String> outputs) {
        long now = c.clock().getAsLong();
        if (stage == msg.params().lastStage()) {
            c.jobs().succeeded(msg.jobId(), now);
            c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.STAGE_COMPLETED, now));
            c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.SUCCEEDED, now));
            return Optional.empty();
        }
        c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.STAGE_COMPLETED, now));
        return Optional.of(msg.next(outputs, now));
    }

    /** The machine-readable cause shown with a failed job. */
    private static String errorCode(Throwable e) {
        if (e instanceof InvalidJobException) {
            return "invalid_input";
        }
        return e instanceof ModelUnavailableException ? "model_unavailable" : "stage_failed";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StageFailedException("interrupted while waiting to retry", ie);
        }
    }
}
