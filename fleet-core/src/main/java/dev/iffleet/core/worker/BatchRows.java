package dev.iffleet.core.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.diffusion.image.ImageCodec;
import dev.iffleet.diffusion.sampler.StepListener;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Several jobs' images in one sampler batch: job i owns rows {@code [start(i), start(i) + count(i))}, in the batch's
 * order. As the sampler's listener it reports each step to every live job (each keeps its own throttled progress)
 * and drops a canceled job's rows at the next step while the others go on; the sampler's result then holds only the
 * kept jobs' rows, which {@link #rowsOf} finds.
 */
public final class BatchRows implements StepListener {

    private final List<StageContext> jobs;
    private final int[] start;
    private final int[] count;
    private final int total;
    private final BitSet droppedJobs = new BitSet();
    private final BitSet droppedRows = new BitSet();
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

    /** Job i's rows of the sampler's result (which lacks the rows of jobs dropped during the run). */
    public NDArray rowsOf(NDArray result, int job) {
        int from = keptBefore(job);
        return droppedJobs.isEmpty() && jobs.size() == 1 ? result : result.get(from + ":" + (from + count[job]));
    }

    /** Job i's part of a per-row flag array computed on the sampler's result. */
    public boolean[] rowsOf(boolean[] flags, int job) {
        boolean[] out = new boolean[count[job]];
        System.arraycopy(flags, keptBefore(job), out, 0, count[job]);
        return out;
    }

    private int keptBefore(int job) {
        int n = 0;
        for (int i = 0; i < job; i++) {
            n += droppedJobs.get(i) ? 0 : count[i];
        }
        return n;
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
    public void preview(int step, int totalSteps, NDArray x0, int[] rows) {
        for (int i = 0; i < jobs.size(); i++) {
            if (droppedJobs.get(i) || jobs.get(i).canceled()) {
                continue;
            }
            for (int r = 0; r < rows.length; r++) {
                if (rows[r] == start[i]) {
                    preview.accept(jobs.get(i), x0.get(r + ":" + (r + 1)), step, totalSteps);
                }
            }
        }
    }

    @Override
    public void onStep(int step, int totalSteps) {
        for (int i = 0; i < jobs.size(); i++) {
            if (!droppedJobs.get(i) && !jobs.get(i).canceled()) {
                jobs.get(i).report(step, totalSteps);
            }
        }
    }

    /** The rows of every job canceled so far: the sampler leaves them out from the next step on. */
    @Override
    public BitSet dropped() {
        for (int i = 0; i < jobs.size(); i++) {
            if (!droppedJobs.get(i) && jobs.get(i).canceled()) {
                droppedJobs.set(i);
                droppedRows.set(start[i], start[i] + count[i]);
            }
        }
        return (BitSet) droppedRows.clone();
    }

    /**
     * Per job, in order: its delivered PNGs (watermarked unless the job turned it off, flagged images black; encoded
     * later, on the completion thread) and, when {@code tensorName} is not null, its rows of {@code images} as a
     * float32 tensor for the next stage; null for a job canceled during the run.
     *
     * @param images the sampler's result with flagged images already blacked out
     * @param flagged per row of {@code images}, whether the safety checker flagged it
     */
    public List<Produced> delivered(NDArray images, boolean[] flagged, String tensorName) {
        return outputs(i -> {
            StageContext ctx = jobs.get(i);
            NDArray mine = rowsOf(images, i);
            List<BufferedImage> pngs = ImageCodec.toImages(mine);
            boolean[] flags = rowsOf(flagged, i);
            Produced p = new Produced().defer(() -> DeliveredImages.encode(pngs, flags, ctx.params().watermarked(), ctx));
            return tensorName == null ? p
                    : p.put(tensorName, TensorCodec.encode(mine, DataType.FLOAT32));
        });
    }

    /** Per job, in order: its outputs, or null when it was canceled during the run (dropped). */
    public List<Produced> outputs(Function<Integer, Produced> perJob) {
        List<Produced> out = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            out.add(droppedJobs.get(i) || jobs.get(i).canceled() ? null : perJob.apply(i));
        }
        return out;
    }
}
