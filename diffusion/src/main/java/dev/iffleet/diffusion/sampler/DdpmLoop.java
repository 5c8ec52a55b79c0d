package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.StepResult;

/** The guided DDPM denoising loop that stages I and II share; only the UNet's inputs differ between them. */
final class DdpmLoop {

    /** Builds one step's UNet inputs in the step's scope from the current sample x (B, C, H, W) and timestep t. */
    @FunctionalInterface
    interface Inputs {
        NDList build(NDManager step, NDArray x, int t);
    }

    private DdpmLoop() {}

    /**
     * Runs every timestep of the scheduler from x (owned by run): UNet, learned-variance guidance (when
     * {@link Guidance#applies}; else the UNet ran the conditional batch alone), one noise draw
     * of x's shape per step (also at t = 0, where the scheduler ignores it), the scheduler step, then the start's
     * constraint. Calls the listener's preview inside the step (x0 still open), then onStep.
     *
     * @param borrowed run-scope or caller arrays the inputs read, borrowed into every step's scope
     * @return the final sample, attached to run
     */
    static NDArray run(NDManager run, DdpmScheduler scheduler, NDArray x, SampleStart.Active start, float guidance,
            NoiseSource noise, Denoiser unet, Inputs inputs, StepListener l, NDArray... borrowed) {
        int[] timesteps = scheduler.timesteps();
        int every = previewEvery(l);
        Shape shape = x.getShape();
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            try (NDManager step = run.newSubManager()) {
                SamplerSupport.borrow(step, borrowed);
                SamplerSupport.borrow(step, start.stepArrays());
                SamplerSupport.own(step, x);
                NDArray out = SamplerSupport.own(step, unet.predict(inputs.build(step, x, t)));
                NDArray guided = Guidance.applies(guidance) ? Guidance.learnedVariance(out, guidance) : out;
                NDArray stepNoise = noise.gaussian(step, shape);
                StepResult r = scheduler.step(guided, t, x, stepNoise);
                NDArray next = start.afterStep(x, r.prevSample());
                if (every > 0 && (i + 1) % every == 0) {
                    l.preview(i + 1, timesteps.length, r.predOriginalSample());
                }
                next.attach(run);
                x = next;
            }
            SamplerSupport.report(l, i + 1, timesteps.length);
        }
        return x;
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
