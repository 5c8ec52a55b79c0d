package dev.iffleet.core.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.iffleet.diffusion.sampler.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Several jobs' images in one sampler batch: job i owns rows {@code [start(i), start(i) + count(i))}, in the batch's
 * order. As the sampler's listener it reports each step to every live job (each keeps its own throttled progress)
 * and stops the run when every job of the batch was canceled.
 */
public final class BatchRows implements StepListener {

    private final List<StageContext> jobs;
    private final int[] start;
    private final int[] count;
    private final int total;
    private int previewEvery;
    private Preview preview;

    private BatchRows(List<StageContext> jobs, int[] start, int[] count, int total) {
        this.jobs = jobs;
        this.start = start;
        this.count = count;
        this.total = total;
    }

    /** @param images how many images (rows) each job puts in the batch */
    public static BatchRows of(List<StageContext> jobs, ToIntFunction<StageContext> images) {
        int[] start = new int[jobs.size()];
        int[] count = new int[jobs.size()];
        int n = 0;
        for (int i = 0; i < jobs.size(); i++) {
            start[i] = n;
            count[i] = images.applyAsInt(jobs.get(i));
            n += count[i];
        }
        return new BatchRows(List.copyOf(jobs), start, count, n);
    }

    /** Rows in all. */
    public int total() {
        return total;
    }

    public List<StageContext> jobs() {
        return jobs;
    }

    /** Every job's per-image seeds, in row order: a per-image noise source then gives each row its own job's stream. */
    public long[] seeds(Function<StageContext, long[]> seedsOf) {
        long[] all = new long[total];
        for (int i = 0; i < jobs.size(); i++) {
            long[] s = seedsOf.apply(jobs.get(i));
            if (s.length != count[i]) {
                throw new IllegalArgumentException(s.length + " seeds for " + count[i] + " images");
            }
            System.arraycopy(s, 0, all, start[i], count[i]);
        }
        return all;
    }

    /** Concatenates one array per job (each with that job's rows first) along the batch dimension. */
    public NDArray concat(Function<StageContext, NDArray> perJob) {
        if (jobs.size() == 1) {
            return perJob.apply(jobs.get(0));
        }
        NDList parts = new NDList(jobs.size());
        jobs.forEach(j -> parts.add(perJob.apply(j)));
        return NDArrays.concat(parts, 0);
    }

    /** Job i's rows of a batch result. */
    public NDArray rowsOf(NDArray batch, int job) {
        return jobs.size() == 1 ? batch : batch.get(start[job] + ":" + (start[job] + count[job]));
    }

    /** The slice of a per-row flag array that belongs to job i. */
    public boolean[] rowsOf(boolean[] flags, int job) {
        boolean[] out = new boolean[count[job]];
        System.arraycopy(flags, start[job], out, 0, count[job]);
        return out;
    }

    /** Receives one job's preview: the x0 estimate of its first image after a step. */
    @FunctionalInterface
    public interface Preview {
        void accept(StageContext job, NDArray x0, int step, int totalSteps);
    }

    /** Sends every k-th step's x0 estimate of each live job's first image to {@code sink}. */
    public BatchRows withPreviews(int every, Preview sink) {
        this.previewEvery = every;
        this.preview = sink;
        return this;
    }

    @Override
    public int previewEvery() {
        return previewEvery;
    }

    @Override
    public void preview(int step, int totalSteps, NDArray x0) {
        for (int i = 0; i < jobs.size(); i++) {
            if (!jobs.get(i).canceled()) {
                preview.accept(jobs.get(i), x0.get(start[i] + ":" + (start[i] + 1)), step, totalSteps);
            }
        }
    }

    @Override
    public void onStep(int step, int totalSteps) {
        boolean anyLive = false;
        for (StageContext j : jobs) {
            if (!j.canceled()) {
                anyLive = true;
                j.report(step, totalSteps);
            }
        }
        if (!anyLive) {
            throw new JobCanceledException(jobs.get(0).jobId());
        }
    }

    /** Per job, in order: its outputs, or null when it was canceled during the run (dropped by the caller). */
    public List<Produced> outputs(Function<Integer, Produced> perJob) {
        List<Produced> out = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            out.add(jobs.get(i).canceled() ? null : perJob.apply(i));
        }
        return out;
    }
}
