package dev.iffleet.core.worker;

import dev.iffleet.diffusion.sampler.AllImagesDroppedException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One model run of a batch with the stage's retry policy. A batch that fails is run again one job at a time, so one
 * bad job fails alone instead of taking its batch-mates with it; a single job is retried as the policy says.
 */
final class BatchRun {

    private static final Logger LOG = Logger.getLogger(BatchRun.class);

    private final StageWorker worker;
    private final RetryPolicy retry;

    BatchRun(StageWorker worker, RetryPolicy retry) {
        this.worker = worker;
        this.retry = retry;
    }

    void run(List<Pending> jobs) {
        List<StageContext> contexts = new ArrayList<>(jobs.size());
        jobs.forEach(p -> contexts.add(p.context()));
        for (int attempt = 1; ; attempt++) {
            long io0 = io(contexts);
            long t0 = System.nanoTime();
            try {
                List<Produced> out = worker.callRun(contexts);
                if (out == null || out.size() != jobs.size()) {
                    throw new IllegalStateException(worker.stage().id() + " returned " + (out == null ? 0 : out.size())
                            + " results for a batch of " + jobs.size());
                }
                long runMs = ((System.nanoTime() - t0) - (io(contexts) - io0)) / 1_000_000;
                for (int i = 0; i < jobs.size(); i++) {
                    Pending p = jobs.get(i);
                    if (out.get(i) == null || p.context().canceled()) {
                        p.decide(worker.stopped(p));
                    } else {
                        p.ran(out.get(i), runMs, jobs.size());
                    }
                }
                return;
            } catch (JobCanceledException | AllImagesDroppedException e) {
                // the run stops early only when none of its jobs is left to run
                jobs.forEach(p -> p.decide(worker.stopped(p)));
                return;
            } catch (Exception | LinkageError e) {
                if (jobs.size() > 1) {
                    LOG.warnf("%s batch of %d failed (%s); running its jobs one at a time", worker.stage().id(),
                            jobs.size(), e.getMessage());
                    jobs.forEach(p -> run(List.of(p)));
                    return;
                }
                Pending p = jobs.get(0);
                boolean again = retry.retryable(e) && attempt < retry.maxAttempts();
                LOG.warnf("job %s: %s attempt %d failed%s: %s", p.message().jobId(), worker.stage().id(), attempt,
                        again ? ", retrying" : ", giving up", e.getMessage());
                if (!again) {
                    p.decide(new Outcome.Failed(worker.giveUp(p.message().jobId(), e)));
                    return;
                }
                sleep(retry.delayBefore(attempt + 1).toMillis());
            }
        }
    }

    private static long io(List<StageContext> contexts) {
        long n = 0;
        for (StageContext c : contexts) {
            n += c.ioNanos();
        }
        return n;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StageFailedException("interrupted while waiting to retry", ie);
        }
    }
}
