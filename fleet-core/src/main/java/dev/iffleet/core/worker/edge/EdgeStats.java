package dev.iffleet.core.worker.edge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one replica's edge, for its status and heartbeat: batches, jobs, model time, jobs in flight. */
public final class EdgeStats {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong modelMs = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    void started(int size) {
        inFlight.addAndGet(size);
    }

    void ran(int size, long ms) {
        batches.incrementAndGet();
        jobs.addAndGet(size);
        modelMs.addAndGet(ms);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    public long batches() {
        return batches.get();
    }

    public long jobs() {
        return jobs.get();
    }

    /** Wall time of the model runs so far (admission included). */
    public long modelMs() {
        return modelMs.get();
    }

    /** Jobs taken and not yet completed. */
    public int inFlight() {
        return inFlight.get();
    }

    public double meanBatch() {
        long b = batches.get();
        return b == 0 ? 0 : (double) jobs.get() / b;
    }
}
