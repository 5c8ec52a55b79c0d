package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.DdimScheduler;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;

/** Runs the cascade's last stage, the latent x4 upscaler, mirroring diffusers' StableDiffusionUpscalePipeline. */
public final class UpscaleSampler {

    /** Latent channels of the x4 upscaler's VAE. */
    public static final int LATENT_CHANNELS = 4;

    private static final float[] LOW_RES_SCHEDULE = NoiseSchedules.scaledLinear();

    private UpscaleSampler() {}

    /**
     * Runs the DDIM loop (leading timesteps, offset 1) in latent space and decodes, with guidance on a doubled
     * batch [uncond, cond] when {@link Guidance#applies} (g &gt; 1), else on the conditional batch alone (B
     * instead of 2B below).
     *
     * <p>Noise order: the low-res augmentation noise (B, 3, h, w) first, then the initial latents (B, 4, h, w)
     * (init_noise_sigma 1); DDIM with eta 0 draws nothing per step. Per step the UNet gets NDList(sample float32
     * (2B, 7, h, w) = cat([latents, latents]) ++ cat([image, image]) on channels, timestep int64 (2B,),
     * encoder_hidden_states float32 (2B, 77, Dc) = [negEmb, textEmb], class_labels int64 (2B,) = noiseLevel) and
     * must return (2B, 4, h, w) v-predictions. The decoder gets NDList(latents / vaeScale) and returns
     * (B, 3, 4h, 4w). Any h x w works (non-square included). {@link StepListener#preview} is never called here:
     * the DDIM x0 is a latent, and decoding it for a preview would cost a VAE pass.
     *
     * @param lowRes the image to upscale (B, 3, h, w) in [-1, 1]
     * @param steps number of DDIM steps
     * @param noiseLevel low-res augmentation timestep (default 20), on the scaled_linear schedule
     * @param vaeScale the VAE's scaling_factor (0.08333)
     * @return the decoded image (B, 3, 4h, 4w) clamped to [-1, 1]
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, NDArray lowRes, int steps,
            float guidance, int noiseLevel, NoiseSource noise, Denoiser unet, Denoiser vaeDecoder, float vaeScale,
            StepListener l) {
        long batch = SamplerSupport.batchOf(textEmb, negEmb);
        Shape lowShape = lowRes.getShape();
        if (lowShape.get(0) != batch) {
            throw new IllegalArgumentException("lowRes batch " + lowShape + " differs from " + batch);
        }
        DdimScheduler scheduler = DdimScheduler.forX4Upscaler(steps);
        int[] timesteps = scheduler.timesteps();
        try (NDManager run = m.newSubManager()) {
            SamplerSupport.borrow(run, textEmb, negEmb, lowRes);
            boolean guided = Guidance.applies(guidance);
            long unetBatch = guided ? 2 * batch : batch;
            NDArray hidden = Guidance.hidden(negEmb, textEmb, guided);
            NDArray augNoise = noise.gaussian(run, lowShape);
            NDArray image = NoiseAugment.addNoise(lowRes, augNoise, noiseLevel, LOW_RES_SCHEDULE);
            NDArray image2 = Guidance.batch(image, guided);
            NDArray labels = SamplerSupport.filledLong(run, unetBatch, noiseLevel);
            Shape latentShape = new Shape(batch, LATENT_CHANNELS, lowShape.get(2), lowShape.get(3));
            NDArray latents = noise.gaussian(run, latentShape);
            for (int i = 0; i < timesteps.length; i++) {
                int t = timesteps[i];
                try (NDManager step = run.newSubManager()) {
                    SamplerSupport.borrow(step, hidden, image2, labels);
                    SamplerSupport.own(step, latents);
                    NDArray input = NDArrays.concat(new NDList(Guidance.batch(latents, guided), image2), 1);
                    NDArray ts = SamplerSupport.filledLong(step, unetBatch, t);
                    NDArray out = SamplerSupport.own(step, unet.predict(new NDList(input, ts, hidden, labels)));
                    NDArray v = guided ? Guidance.plain(out, guidance) : out;
                    latents = scheduler.step(v, t, latents).prevSample();
                    latents.attach(run);
                }
                SamplerSupport.report(l, i + 1, timesteps.length);
            }
            NDArray decoded = SamplerSupport.own(run, vaeDecoder.predict(new NDList(latents.div(vaeScale))));
            NDArray result = decoded.clip(-1f, 1f);
            result.attach(m);
            return result;
        }
    }
}
