package dev.iffleet.core.worker;

import dev.iffleet.core.job.StageMessage;

/**
 * One job of a batch between admission and completion: either already decided (skipped, rejected, failed), a replay
 * of outputs stored by an earlier delivery, or admitted and run, with what the run produced.
 */
public final class Pending {

    private final StageMessage message;
    private final StageContext context;
    private final String doneJson;
    private final String token;
    private Outcome outcome;
    private Produced produced;
    private long runMs;
    private int batchSize = 1;

    private Pending(StageMessage message, StageContext context, String doneJson, String token, Outcome outcome) {
        this.message = message;
        this.context = context;
        this.doneJson = doneJson;
        this.token = token;
        this.outcome = outcome;
    }

    static Pending done(StageMessage message, Outcome outcome) {
        return new Pending(message, null, null, null, outcome);
    }

    static Pending replay(StageMessage message, String doneJson) {
        return new Pending(message, null, doneJson, null, null);
    }

    /** @param token the admission's token, which completion must still match ({@code StageStore.Admission}) */
    static Pending running(StageMessage message, StageContext context, String token) {
        return new Pending(message, context, null, token, null);
    }

    public StageMessage message() {
        return message;
    }

    /** Whether the model runs for this job (admitted, not yet decided). */
    boolean runs() {
        return context != null && outcome == null && produced == null;
    }

    StageContext context() {
        return context;
    }

    String doneJson() {
        return doneJson;
    }

    String token() {
        return token;
    }

    /** The decided outcome, or null while the job waits for completion. */
    Outcome outcome() {
        return outcome;
    }

    void decide(Outcome o) {
        this.outcome = o;
    }

    Produced produced() {
        return produced;
    }

    long runMs() {
        return runMs;
    }

    /** Sampler steps the run reported for this job; 0 when it did not run or has no steps. */
    public int steps() {
        return context == null ? 0 : context.steps();
    }

    /** The failure of a failed or rejected job, or null. */
    public RuntimeException failure() {
        if (outcome instanceof Outcome.Failed f) {
            return f.failure();
        }
        return outcome instanceof Outcome.Rejected r ? r.failure() : null;
    }

    /** Jobs that shared the model call. */
    public int batchSize() {
        return batchSize;
    }

    void ran(Produced p, long ms, int batch) {
        this.produced = p;
        this.runMs = ms;
        this.batchSize = batch;
    }
}
