package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.DdpmStepTable;
import dev.iffleet.diffusion.schedule.StepResult;

/**
 * The guided DDPM denoising loop that stages I and II share; only the UNet's inputs differ between them.
 *
 * <p>Device-resident: inside the loop no operation has a Number operand and nothing is read back to the host (in
 * DJL each such operand is a blocking host-to-device copy plus a sync on a GPU). The scheduler's coefficients,
 * the guidance scale and the timestep tensors are made once per run; the next step's noise is drawn on the host
 * while this step runs ({@link NoiseAhead}), so the only per-step transfer left is that noise's copy.
 */
final class DdpmLoop {

    /** Builds one step's UNet inputs from the current sample x (B, C, H, W) and the step's timestep tensor. */
    @FunctionalInterface
    interface Inputs {
        NDList build(NDArray x, NDArray timestep);
    }

    private DdpmLoop() {}

    /**
     * Runs every timestep of the scheduler from x (owned by run): UNet, learned-variance guidance (when
     * {@link Guidance#applies}; else the UNet ran the conditional batch alone), one noise draw of x's shape per
     * step (also at t = 0, where the scheduler ignores it), the scheduler step, then the start's constraint.
     * Calls the listener's preview inside the step (x0 still open), then onStep, then applies its
     * {@link StepListener#dropped()} to x, the start, the arrays and the timestep tensors.
     *
     * @param arrays the run's per-image arrays the inputs read, borrowed into every step's scope
     * @return the final sample of the images not dropped, attached to run
     * @throws AllImagesDroppedException when the listener drops every image
     */
    static NDArray run(NDManager run, DdpmScheduler scheduler, NDArray x, SampleStart.Active start, float guidance,
            NoiseSource noise, Denoiser unet, Inputs inputs, BatchArrays arrays, StepListener l) {
        int[] timesteps = scheduler.timesteps();
        int every = previewEvery(l);
        boolean guided = Guidance.applies(guidance);
        LiveRows live = new LiveRows(x.getShape().get(0));
        // Per-run device tables: a Number operand or a per-step create would cost a host->device copy and a
        // GPU sync each (see DdpmStepTable).
        DdpmStepTable table = scheduler.table(run, x.getShape());
        NDArray scale = guided ? run.create(guidance) : null;
        TimestepTable ts = new TimestepTable(run, timesteps, unetBatch(live.size(), guided));
        try (NoiseAhead ahead = new NoiseAhead(noise, x.getShape(), timesteps.length)) {
            for (int i = 0; i < timesteps.length; i++) {
                int[] rows = live.rows();
                try (NDManager step = run.newSubManager()) {
                    SamplerSupport.borrow(step, arrays.all());
                    SamplerSupport.borrow(step, start.stepArrays());
                    SamplerSupport.borrow(step, ts.get(i));
                    SamplerSupport.own(step, x);
                    NDArray stepNoise = ahead.next(step, rows);
                    NDArray out = SamplerSupport.own(step, unet.predict(inputs.build(x, ts.get(i))));
                    NDArray eps = guided ? Guidance.learnedVariance(out, scale) : out;
                    StepResult r = scheduler.step(eps, i, x, stepNoise, table);
                    NDArray next = start.afterStep(x, r.prevSample());
                    if (every > 0 && (i + 1) % every == 0) {
                        l.preview(i + 1, timesteps.length, r.predOriginalSample(), rows);
                    }
                    next.attach(run);
                    x = next;
                }
                SamplerSupport.report(l, i + 1, timesteps.length);
                int[] keep = live.drop(l, i + 1, timesteps.length);
                if (keep != null) {
                    NDArray narrowed = LiveRows.take(x, keep);
                    x.close();
                    x = narrowed;
                    arrays.retain(keep, rows.length);
                    start.retain(keep);
                    ts.resize(i + 1, unetBatch(live.size(), guided));
                }
            }
        }
        return x;
    }

    static long unetBatch(int batch, boolean guided) {
        return guided ? 2L * batch : batch;
    }

    private static int previewEvery(StepListener l) {
        if (l == null) {
            return 0;
        }
        int every = l.previewEvery();
        if (every < 0) {
            throw new IllegalArgumentException("previewEvery must be >= 0, got " + every);
        }
        return every;
    }
}
