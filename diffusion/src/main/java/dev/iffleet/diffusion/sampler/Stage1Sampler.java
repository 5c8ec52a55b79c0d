package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.DdpmScheduler;

/** Generates IF stage-I images (64x64 in practice) from text embeddings, mirroring diffusers' IFPipeline loop. */
public final class Stage1Sampler {

    /** Image channels of stage I's output. */
    public static final int CHANNELS = 3;

    private Stage1Sampler() {}

    /**
     * Runs the stage-I denoising loop. Classifier-free guidance is always applied on a doubled batch
     * [uncond, cond] (for g = 1 this equals diffusers' unguided path).
     *
     * <p>Noise order: x_T (B, 3, H, W) first, then one (B, 3, H, W) draw per step (also at t = 0, where the
     * scheduler ignores it). Per step the UNet gets NDList(sample float32 (2B, 3, H, W) = [x, x],
     * timestep int64 (2B,) filled with t, encoder_hidden_states float32 (2B, 77, D) = [negEmb, textEmb]) and must
     * return (2B, 6, H, W): epsilon then the learned-range variance value.
     *
     * @param m manager the result is attached to (intermediates go to sub-managers closed on the way)
     * @param textEmb conditional T5 embeddings (B, 77, D)
     * @param negEmb unconditional embeddings (B, 77, D)
     * @param timesteps descending timesteps (leading or an IF respacing)
     * @return x_0 (B, 3, H, W), roughly in [-1, 1]
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, int[] timesteps, float guidance,
            int height, int width, NoiseSource noise, Denoiser unet, StepListener l) {
        long batch = SamplerSupport.batchOf(textEmb, negEmb);
        DdpmScheduler scheduler = DdpmScheduler.stage1(timesteps);
        Shape shape = new Shape(batch, CHANNELS, height, width);
        try (NDManager run = m.newSubManager()) {
            SamplerSupport.borrow(run, textEmb, negEmb);
            NDArray hidden = NDArrays.concat(new NDList(negEmb, textEmb), 0);
            NDArray x = noise.gaussian(run, shape);
            for (int i = 0; i < timesteps.length; i++) {
                int t = timesteps[i];
                try (NDManager step = run.newSubManager()) {
                    SamplerSupport.borrow(step, hidden);
                    SamplerSupport.own(step, x);
                    NDArray input = NDArrays.concat(new NDList(x, x), 0);
                    NDArray ts = SamplerSupport.filledLong(step, 2 * batch, t);
                    NDArray out = SamplerSupport.own(step, unet.predict(new NDList(input, ts, hidden)));
                    NDArray guided = Guidance.learnedVariance(out, guidance);
                    NDArray stepNoise = noise.gaussian(step, shape);
                    x = scheduler.step(guided, t, x, stepNoise).prevSample();
                    x.attach(run);
                }
                SamplerSupport.report(l, i + 1, timesteps.length);
            }
            x.attach(m);
            return x;
        }
    }
}
