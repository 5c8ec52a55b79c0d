package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.DdpmScheduler;

/**
 * Generates IF stage-I images (64x64 or 64-short-side in practice) from text embeddings, mirroring the loops of
 * diffusers' IFPipeline, IFImg2ImgPipeline and IFInpaintingPipeline.
 */
public final class Stage1Sampler {

    /** Image channels of stage I's output. */
    public static final int CHANNELS = 3;

    private Stage1Sampler() {}

    /**
     * Text-to-image at height x width: the {@link SampleStart} overload below with
     * {@code SampleStart.noise(height, width)}.
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, int[] timesteps, float guidance,
            int height, int width, NoiseSource noise, Denoiser unet, StepListener l) {
        return sample(m, textEmb, negEmb, timesteps, guidance, SampleStart.noise(height, width), noise, unet, l);
    }

    /**
     * Runs the stage-I denoising loop from the given start. Classifier-free guidance runs on a doubled batch
     * [uncond, cond] when {@link Guidance#applies} (g &gt; 1); otherwise the UNet gets the conditional batch alone
     * (B instead of 2B below), as diffusers' unguided path.
     *
     * <p>Noise order (B = batch; per image with {@link NoiseSource#perImage}): first the start draw
     * (B, 3, H, W) — x_T for a noise start, the noise added to the init image for img2img/inpainting — then one
     * (B, 3, H, W) draw per step that runs (also at t = 0, where the scheduler ignores it). Per step the UNet gets
     * NDList(sample float32 (2B, 3, H, W) = [x, x], timestep int64 (2B,) filled with t, encoder_hidden_states
     * float32 (2B, 77, D) = [negEmb, textEmb]) and must return (2B, 6, H, W): epsilon then the learned-range
     * variance value. The listener's total is the number of steps that run (the strength tail for img2img); its
     * {@link StepListener#preview} gets the scheduler's pred_original_sample (B, 3, H, W) every k steps. Images
     * the listener drops ({@link StepListener#dropped()}) leave the batch from the next step on.
     *
     * @param m manager the result is attached to (intermediates go to sub-managers closed on the way)
     * @param textEmb conditional T5 embeddings (B, 77, D)
     * @param negEmb unconditional embeddings (B, 77, D)
     * @param timesteps all N descending timesteps (leading or an IF respacing); img2img/inpainting run the tail
     * @param start noise (size), img2img or inpainting start; its size is the output's size
     * @return x_0 (B, 3, H, W), roughly in [-1, 1]; without the dropped images (B' rows, original order)
     * @throws AllImagesDroppedException when the listener drops every image
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, int[] timesteps, float guidance,
            SampleStart start, NoiseSource noise, Denoiser unet, StepListener l) {
        long batch = SamplerSupport.batchOf(textEmb, negEmb);
        SamplerSupport.checkNoise(noise, batch);
        int[] run = start.timesteps(timesteps);
        DdpmScheduler scheduler = DdpmScheduler.stage1(run);
        try (NDManager scope = m.newSubManager()) {
            SamplerSupport.borrow(scope, textEmb, negEmb);
            SampleStart.Active active = start.activate(scope, batch);
            boolean guided = Guidance.applies(guidance);
            BatchArrays arrays = new BatchArrays(guided);
            BatchArrays.Slot hidden = arrays.unet(Guidance.hidden(negEmb, textEmb, guided), guided);
            NDArray x = active.first(batch, CHANNELS, run[0], noise);
            DdpmLoop.Inputs inputs = (sample, t) -> new NDList(Guidance.batch(sample, guided), t, hidden.get());
            x = DdpmLoop.run(scope, scheduler, x, active, guidance, noise, unet, inputs, arrays, l);
            x.attach(m);
            return x;
        }
    }
}
