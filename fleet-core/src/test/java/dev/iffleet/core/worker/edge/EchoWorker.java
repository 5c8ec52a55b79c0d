package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.worker.Produced;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A stage worker whose "model" sleeps per batch and echoes each job's id, recording every batch it ran. */
final class EchoWorker extends StageWorker {

    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch warm = new CountDownLatch(1);
    private final long msPerBatch;
    private volatile CountDownLatch hold;
    /** Sampler steps each run reports, as a diffusion stage does. */
    static final int STEPS = 3;

    EchoWorker(Stage stage, Collaborators c, long msPerBatch, boolean warmAtOnce) {
        super(stage, c);
        this.msPerBatch = msPerBatch;
        if (warmAtOnce) {
            warm.countDown();
        }
    }

    /** Every job is compatible with every other: batches fill up to max-batch. */
    @Override
    public Object batchKey(StageMessage msg) {
        return "all";
    }

    /** Makes the next batch wait until the returned latch opens (to let a backlog build up behind it). */
    CountDownLatch holdNextBatch() {
        hold = new CountDownLatch(1);
        return hold;
    }

    @Override
    protected List<Produced> run(List<StageContext> batch) throws Exception {
        CountDownLatch h = hold;
        if (h != null) {
            hold = null;
            h.await(30, TimeUnit.SECONDS);
        }
        Thread.sleep(msPerBatch);
        List<String> ids = new ArrayList<>();
        List<Produced> out = new ArrayList<>();
        for (StageContext ctx : batch) {
            for (int step = 1; step <= STEPS; step++) {
                ctx.report(step, STEPS);
            }
            ids.add(ctx.jobId());
            out.add(new Produced().put("echo", ctx.jobId().getBytes()));
        }
        batches.add(ids);
        return out;
    }

    @Override
    protected void warmUp(int maxBatch) throws Exception {
        warm.await(60, TimeUnit.SECONDS);
    }

    int jobsRun() {
        return batches.stream().mapToInt(List::size).sum();
    }
}
