package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;

/** Upscales stage-I images with IF stage II (64 -> 256), mirroring diffusers' IFSuperResolutionPipeline loop. */
public final class SuperResSampler {

    /** Image channels of stage II's output. */
    public static final int CHANNELS = 3;

    private static final float[] NOISING_SCHEDULE = NoiseSchedules.squaredcosCapV2();

    private SuperResSampler() {}

    /**
     * Runs the stage-II denoising loop, always with guidance on a doubled batch [uncond, cond].
     *
     * <p>Noise order: x_T (B, 3, H, W), then the augmentation noise of the upscaled image (B, 3, H, W), then one
     * (B, 3, H, W) draw per step. The low-res image is resized with bilinear align_corners=True and noised to
     * noiseLevel on the squaredcos_cap_v2 schedule. Per step the UNet gets NDList(sample float32 (2B, 6, H, W) =
     * [cat(x, upscaled), same], timestep int64 (2B,), encoder_hidden_states float32 (2B, 77, D) =
     * [negEmb, textEmb], class_labels int64 (2B,) = noiseLevel) and must return (2B, 6, H, W).
     *
     * @param lowRes stage-I output (B, 3, h, w) in [-1, 1]
     * @param noiseLevel augmentation timestep of the low-res conditioning (IF default 250)
     * @return x_0 (B, 3, height, width)
     */
    public static NDArray sample(NDManager m, NDArray textEmb, NDArray negEmb, NDArray lowRes, int[] timesteps,
            float guidance, int noiseLevel, int height, int width, NoiseSource noise, Denoiser unet, StepListener l) {
        long batch = SamplerSupport.batchOf(textEmb, negEmb);
        if (lowRes.getShape().get(0) != batch) {
            throw new IllegalArgumentException("lowRes batch " + lowRes.getShape() + " differs from " + batch);
        }
        DdpmScheduler scheduler = DdpmScheduler.stage2(timesteps);
        Shape shape = new Shape(batch, CHANNELS, height, width);
        try (NDManager run = m.newSubManager()) {
            SamplerSupport.borrow(run, textEmb, negEmb, lowRes);
            NDArray hidden = NDArrays.concat(new NDList(negEmb, textEmb), 0);
            NDArray x = noise.gaussian(run, shape);
            NDArray upscaled = Upsample.bilinearAlignCorners(lowRes, height, width);
            NDArray augNoise = noise.gaussian(run, upscaled.getShape());
            upscaled = NoiseAugment.addNoise(upscaled, augNoise, noiseLevel, NOISING_SCHEDULE);
            NDArray labels = SamplerSupport.filledLong(run, 2 * batch, noiseLevel);
            for (int i = 0; i < timesteps.length; i++) {
                int t = timesteps[i];
                try (NDManager step = run.newSubManager()) {
                    SamplerSupport.borrow(step, hidden, upscaled, labels);
                    SamplerSupport.own(step, x);
                    NDArray single = NDArrays.concat(new NDList(x, upscaled), 1);
                    NDArray input = NDArrays.concat(new NDList(single, single), 0);
                    NDArray ts = SamplerSupport.filledLong(step, 2 * batch, t);
                    NDArray out = SamplerSupport.own(step, unet.predict(new NDList(input, ts, hidden, labels)));
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
