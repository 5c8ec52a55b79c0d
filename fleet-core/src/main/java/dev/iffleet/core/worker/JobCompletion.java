package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.model.ModelUnavailableException;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.StageStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The way out of a stage for one job: its outputs, done marker and timings stored in one script, then the events and
 * the next stage's message; and the bookkeeping of jobs that fail or are canceled here.
 */
final class JobCompletion {

    private static final Logger LOG = Logger.getLogger(JobCompletion.class);
    private static final String TORCHSCRIPT = "torchscript";

    private final Stage stage;
    private final StageWorker.Collaborators c;
    private final StageStore store;

    JobCompletion(Stage stage, StageWorker.Collaborators c, StageStore store) {
        this.stage = stage;
        this.c = c;
        this.store = store;
    }

    Outcome complete(Pending p) {
        if (p.outcome() != null) {
            return p.outcome();
        }
        StageMessage msg = p.message();
        if (p.doneJson() != null) {
            @SuppressWarnings("unchecked")
            Map<String, String> outputs = Json.read(p.doneJson(), Map.class);
            if (stage == msg.params().lastStage()) {
                c.jobs().succeeded(msg.jobId(), c.clock().getAsLong());
            }
            return handOn(msg, outputs);
        }
        Map<String, byte[]> produced = p.produced().resolve();
        Map<String, byte[]> artifacts = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        produced.forEach((name, bytes) -> {
            String key = c.jobs().keys().artifact(msg.jobId(), stage, name);
            artifacts.put(key, bytes);
            outputs.put(name, key);
        });
        long now = c.clock().getAsLong();
        boolean last = stage == msg.params().lastStage();
        Duration ttl = c.jobs().ttlFor(msg.params());
        long t0 = System.nanoTime();
        StageStore.Completion done = store.complete(msg.jobId(), stage, p.token(), artifacts, Json.write(outputs),
                fields(p, now), p.runMs(), last, ttl, now);
        c.metrics().redis("complete", System.nanoTime() - t0);
        if (done == StageStore.Completion.SUPERSEDED) {
            // admitted again since this run began (redelivered, or re-queued by the reaper as presumed lost): the
            // latest admission completes the stage, so this run stores and hands on nothing, and nothing runs twice on
            LOG.infof("job %s: a later admission of %s superseded this run; its outputs are dropped", msg.jobId(),
                    stage.id());
            return new Outcome.Ended();
        }
        if (done == StageStore.Completion.ENDED) {
            // canceled (or failed) while the model ran: its outputs are not kept and nothing is handed on
            LOG.infof("job %s ended while %s ran; its outputs are dropped", msg.jobId(), stage.id());
            return canceled(msg);
        }
        return handOn(msg, outputs);
    }

    private Map<String, String> fields(Pending p, long now) {
        Map<String, String> f = new LinkedHashMap<>();
        StageContext ctx = p.context();
        f.put(stage.id() + ".run_ms", Long.toString(p.runMs()));
        f.put(stage.id() + ".io_ms", Long.toString(ctx.ioMillis()));
        f.put(stage.id() + ".finished_at", Long.toString(now));
        f.put(stage.id() + ".batch", Integer.toString(p.batchSize()));
        f.put("updated_at", Long.toString(now));
        if (!TORCHSCRIPT.equals(c.backend())) {
            f.put(stage.id() + ".backend", c.backend());
        }
        List<Integer> flagged = ctx.flagged();
        if (!flagged.isEmpty()) {
            f.put(stage.id() + JobRecord.FLAGGED_SUFFIX, String.join(",", flagged.stream().map(String::valueOf).toList()));
        }
        return f;
    }

    private Outcome handOn(StageMessage msg, Map<String, String> outputs) {
        long now = c.clock().getAsLong();
        c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.STAGE_COMPLETED, now));
        if (stage == msg.params().lastStage()) {
            c.events().publish(JobEvent.of(msg.jobId(), stage, JobEvent.Type.SUCCEEDED, now));
            return new Outcome.Ended();
        }
        return new Outcome.Next(msg.next(outputs, now));
    }

    /** The run stopped because the job was canceled: nothing to retry or dead-letter, the record is committed. */
    Outcome canceled(StageMessage msg) {
        LOG.infof("job %s was canceled; %s stopped", msg.jobId(), stage.id());
        c.events().publish(JobEvent.canceled(msg.jobId(), stage, c.clock().getAsLong()));
        return new Outcome.Ended();
    }

    /** Marks the job failed with a reason naming this stage, and returns the exception for the dead letter. */
    StageFailedException giveUp(String jobId, Throwable e) {
        String reason = stage.id() + ": " + describe(e);
        long now = c.clock().getAsLong();
        c.jobs().failed(jobId, stage, errorCode(e), reason, now);
        c.events().publish(JobEvent.failed(jobId, stage, reason, now));
        return new StageFailedException(reason, e);
    }

    /** Why the job's parameters cannot get through this stage, or null when they can. */
    static String invalidParams(Stage stage, JobParams params) {
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
}
