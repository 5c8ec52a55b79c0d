package dev.iffleet.core.job;

/**
 * The per-mode, per-stage defaults of diffusers' IF pipelines, filled into a job's overrides where the caller left a
 * gap. Text-to-image keeps the model pack's own defaults (a pack may choose a fast schedule for its size).
 */
public final class ModeDefaults {

    /** IFImg2ImgPipeline: 80 steps, guidance 10, strength 0.7. */
    static final StageOverrides IMG2IMG_STAGE1 = new StageOverrides(80, 10.0, null, 0.7, null);
    /** IFInpaintingPipeline: 50 steps, guidance 7, strength 1.0. */
    static final StageOverrides INPAINT_STAGE1 = new StageOverrides(50, 7.0, null, 1.0, null);
    /** IFImg2ImgSuperResolutionPipeline: 50 steps, guidance 4, noise level 250, strength 0.8. */
    static final StageOverrides IMG2IMG_SR = new StageOverrides(50, 4.0, 250, 0.8, null);
    /** IFInpaintingSuperResolutionPipeline: 50 steps, guidance 4, noise level 0, strength 0.8. */
    static final StageOverrides INPAINT_SR = new StageOverrides(50, 4.0, 0, 0.8, null);
    /** IFSuperResolutionPipeline on an uploaded image: 50 steps, guidance 4, noise level 250. */
    static final StageOverrides UPSCALE_SR = new StageOverrides(50, 4.0, 250, null, null);

    private ModeDefaults() {}

    /** {@code params} with its mode's defaults filled in; text-to-image comes back unchanged. */
    public static JobParams apply(JobParams p) {
        StageOverrides s1 = p.stage1();
        StageOverrides sr = p.sr();
        switch (p.effectiveMode()) {
            case IMAGE_VARIATION -> {
                s1 = s1.orElse(IMG2IMG_STAGE1);
                sr = sr.orElse(IMG2IMG_SR);
            }
            case INPAINTING -> {
                s1 = s1.orElse(INPAINT_STAGE1);
                sr = sr.orElse(INPAINT_SR);
            }
            case UPSCALE -> sr = sr.orElse(UPSCALE_SR);
            case TEXT_TO_IMAGE -> {
                return p;
            }
        }
        return new JobParams(p.prompt(), p.negativePrompt(), p.seed(), p.outputSize(), s1, sr, p.upscale(),
                p.retentionSeconds(), p.mode(), p.numImages(), p.width(), p.height(), p.startStage(), p.watermark(),
                p.cleanCaption());
    }
}
