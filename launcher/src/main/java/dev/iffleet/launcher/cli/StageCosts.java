package dev.iffleet.launcher.cli;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.CostProfile;
import java.util.EnumMap;
import java.util.Map;

/**
 * Model time of one image in each stage of the IF cascade, from a cost profile: which components a stage calls and
 * how often (the T5 encoder once per prompt + negative prompt; each UNet once per step, on images x2 with guidance;
 * the x4 stage's text encoder once and its VAE decoder once). With {@code batch} jobs per model call, a call's time
 * is shared among them.
 */
public final class StageCosts {

    /** IF's own defaults (diffusers' IF pipelines): steps 100 / 50 / 75, guidance 7 / 4 / 9. */
    public static final int[] IF_STEPS = {100, 50, 75};
    public static final double[] IF_GUIDANCE = {7.0, 4.0, 9.0};

    private StageCosts() {}

    /**
     * @param steps stage I, sr and upscale steps
     * @param guidance their guidance scales (above 1 doubles the UNet batch, as IF runs the unconditional half too)
     * @return ms of model time per image, by stage
     */
    public static Map<Stage, Double> msPerImage(CostProfile p, int[] steps, double[] guidance, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        Map<Stage, Double> ms = new EnumMap<>(Stage.class);
        ms.put(Stage.ENCODE, p.ms("t5_encoder", 2 * batch) / batch);
        ms.put(Stage.STAGE1, steps[0] * p.ms("stage1_unet", unetBatch(guidance[0], batch)) / batch);
        ms.put(Stage.SR, steps[1] * p.ms("sr_unet", unetBatch(guidance[1], batch)) / batch);
        double upscale = p.ms("x4_text_encoder", 2 * batch)
                + steps[2] * p.ms("x4_unet", unetBatch(guidance[2], batch))
                + p.ms("vae_decoder", batch);
        ms.put(Stage.UPSCALE, upscale / batch);
        return ms;
    }

    static int unetBatch(double guidance, int batch) {
        return guidance > 1 ? 2 * batch : batch;
    }
}
