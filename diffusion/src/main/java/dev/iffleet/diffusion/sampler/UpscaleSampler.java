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
     * the DDIM x0 is a latent, and decoding it for a preview would cost a VAE pass. Images the listener drops
     * ({@link StepListener#dropped()}) leave the batch from the next step on; one dropped after the last step is
     * not decoded.
     *
     * <p>Device-resident loop: the DDIM coefficients, the guidance scale and the timestep tensors are made once
     * before it (each Number operand or per-step create would be a host-to-device copy plus a GPU sync).
     *
     * @param lowRes the image to upscale (B, 3, h, w) in [-1, 1]
     * @param steps number of DDIM steps
     * @param noiseLevel low-res augmentation timestep (default 20), on the scaled_linear schedule
     * @param vaeScale the VAE's scaling_factor (0.08333)
     * @return the decoded image (B, 3, 4h, 4w) clamped to [-1, 1]; without the dropped images (original order)
     * @throws AllImagesDroppedException when the listener drops every image
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
            BatchArrays arrays = new BatchArrays(guided);
            BatchArrays.Slot hidden = arrays.unet(Guidance.hidden(negEmb, textEmb, guided), guided);
            NDArray augNoise = noise.gaussian(run, lowShape);
            NDArray image = NoiseAugment.addNoise(lowRes, augNoise, noiseLevel, LOW_RES_SCHEDULE);
            BatchArrays.Slot image2 = arrays.unet(Guidance.batch(image, guided), true);
            LiveRows live = new LiveRows(batch);
            long unetBatch = DdpmLoop.unetBatch(live.size(), guided);
            BatchArrays.Slot labels = arrays.unet(SamplerSupport.filledLong(run, unetBatch, noiseLevel), true);
            Shape latentShape = new Shape(batch, LATENT_CHANNELS, lowShape.get(2), lowShape.get(3));
            NDArray latents = noise.gaussian(run, latentShape);
            // Per-run device tables: a Number operand or a per-step create is a host->device copy + GPU sync.
            NDArray[][] table = scheduler.table(run);
            NDArray scale = guided ? run.create(guidance) : null;
            TimestepTable ts = new TimestepTable(run, timesteps, unetBatch);
            for (int i = 0; i < timesteps.length; i++) {
                try (NDManager step = run.newSubManager()) {
                    SamplerSupport.borrow(step, arrays.all());
                    SamplerSupport.borrow(step, ts.get(i));
                    SamplerSupport.own(step, latents);
                    NDArray input = NDArrays.concat(new NDList(Guidance.batch(latents, guided), image2.get()), 1);
                    NDList in = new NDList(input, ts.get(i), hidden.get(), labels.get());
                    NDArray out = SamplerSupport.own(step, unet.predict(in));
                    NDArray v = guided ? Guidance.plain(out, scale) : out;
                    latents = scheduler.step(v, i, latents, table).prevSample();
                    latents.attach(run);
                }
                SamplerSupport.report(l, i + 1, timesteps.length);
                int before = live.size();
                int[] keep = live.drop(l, i + 1, timesteps.length);
                if (keep != null) {
                    NDArray narrowed = LiveRows.take(latents, keep);
                    latents.close();
                    latents = narrowed;
                    arrays.retain(keep, before);
                    ts.resize(i + 1, DdpmLoop.unetBatch(live.size(), guided));
                }
            }
            NDArray decoded = SamplerSupport.own(run, vaeDecoder.predict(new NDList(latents.div(vaeScale))));
            NDArray result = decoded.clip(-1f, 1f);
            result.attach(m);
            return result;
        }
    }
}
