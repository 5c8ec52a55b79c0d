package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;

/**
 * Upscales stage-I images with IF stage II (64 -> 256 on the short side), mirroring the loops of diffusers'
 * IFSuperResolutionPipeline, IFImg2ImgSuperResolutionPipeline and IFInpaintingSuperResolutionPipeline.
 */
public final class SuperResSampler {

    /** Image channels of stage II's output. */
    public static final int CHANNELS = 3;

    private static final float[] NOISING_SCHEDULE = NoiseSchedules.squaredcosCapV2();

    private SuperResSampler() {}

    /**
     * Plain super-resolution to height x width: the {@link SampleStart} overload below with
     * {@code SampleStart.noise(height, width)}.
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, NDArray lowRes, int[] timesteps,
            float guidance, int noiseLevel, int height, int width, NoiseSource noise, Denoiser unet, StepListener l) {
        return sample(m, textEmb, negEmb, lowRes, timesteps, guidance, noiseLevel, SampleStart.noise(height, width),
                noise, unet, l);
    }

    /**
     * Runs the stage-II denoising loop from the given start, with guidance on a doubled batch [uncond, cond]
     * when {@link Guidance#applies} (g &gt; 1), else on the conditional batch alone (B instead of 2B below). The conditioning is the same in every mode: lowRes resized to the start's size with bilinear
     * align_corners=True and noised to noiseLevel on the squaredcos_cap_v2 schedule. For img2img/inpainting the
     * start's image is the ORIGINAL image at the target size (diffusers' original_image), not the upscaled lowRes.
     *
     * <p>Noise order (B = batch; per image with {@link NoiseSource#perImage}): first the start draw
     * (B, 3, H, W) — x_T, or the noise added to the original image — then the augmentation noise of the upscaled
     * image (B, 3, H, W), then one (B, 3, H, W) draw per step that runs (also at t = 0). Per step the UNet gets
     * NDList(sample float32 (2B, 6, H, W) = [cat(x, upscaled), same], timestep int64 (2B,), encoder_hidden_states
     * float32 (2B, 77, D) = [negEmb, textEmb], class_labels int64 (2B,) = noiseLevel) and must return
     * (2B, 6, H, W). The listener's total is the number of steps that run; its {@link StepListener#preview} gets
     * the scheduler's pred_original_sample (B, 3, H, W) every k steps. Images the listener drops
     * ({@link StepListener#dropped()}) leave the batch, their conditioning included, from the next step on.
     *
     * @param lowRes stage-I output (B, 3, h, w) in [-1, 1]
     * @param timesteps all N descending timesteps; img2img/inpainting run the strength tail
     * @param noiseLevel augmentation timestep of the low-res conditioning (IF default 250)
     * @param start noise (target size), img2img or inpainting start at the target size
     * @return x_0 (B, 3, H, W); without the dropped images (B' rows, original order)
     * @throws AllImagesDroppedException when the listener drops every image
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, NDArray lowRes, int[] timesteps,
            float guidance, int noiseLevel, SampleStart start, NoiseSource noise, Denoiser unet, StepListener l) {
        long batch = SamplerSupport.batchOf(textEmb, negEmb);
        if (lowRes.getShape().get(0) != batch) {
            throw new IllegalArgumentException("lowRes batch " + lowRes.getShape() + " differs from " + batch);
        }
        SamplerSupport.checkNoise(noise, batch);
        int[] run = start.timesteps(timesteps);
        DdpmScheduler scheduler = DdpmScheduler.stage2(run);
        try (NDManager scope = m.newSubManager()) {
            SamplerSupport.borrow(scope, textEmb, negEmb, lowRes);
            SampleStart.Active active = start.activate(scope, batch);
            boolean guided = Guidance.applies(guidance);
            long unetBatch = DdpmLoop.unetBatch((int) batch, guided);
            BatchArrays arrays = new BatchArrays(guided);
            BatchArrays.Slot hidden = arrays.unet(Guidance.hidden(negEmb, textEmb, guided), guided);
            NDArray x = active.first(batch, CHANNELS, run[0], noise);
            NDArray upscaled = Upsample.bilinearAlignCorners(lowRes, start.height(), start.width());
            NDArray augNoise = noise.gaussian(scope, upscaled.getShape());
            BatchArrays.Slot cond = arrays.images(
                    NoiseAugment.addNoise(upscaled, augNoise, noiseLevel, NOISING_SCHEDULE), true);
            BatchArrays.Slot labels = arrays.unet(SamplerSupport.filledLong(scope, unetBatch, noiseLevel), true);
            DdpmLoop.Inputs inputs = (sample, t) -> {
                NDArray single = NDArrays.concat(new NDList(sample, cond.get()), 1);
                return new NDList(Guidance.batch(single, guided), t, hidden.get(), labels.get());
            };
            x = DdpmLoop.run(scope, scheduler, x, active, guidance, noise, unet, inputs, arrays, l);
            x.attach(m);
            return x;
        }
    }
}
