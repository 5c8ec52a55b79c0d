package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;

/**
 * Observes sampler progress after each denoising step, and optionally the predicted clean image; throwing a
 * RuntimeException from either method aborts sampling (e.g. on cancel).
 *
 * <p>Previews are opt-in: a listener that keeps {@link #previewEvery()} at 0 is never handed an x0 and costs
 * nothing extra (the DDPM step computes pred_original_sample anyway).
 */
@FunctionalInterface
public interface StepListener {

    /** A listener that ignores progress. */
    StepListener NONE = (stepIndex, totalSteps) -> {};

    /**
     * @param stepIndex the step just finished, 1-based
     * @param totalSteps the number of steps of this sampling run
     */
    void onStep(int stepIndex, int totalSteps);

    /**
     * How often {@link #preview} is called: after steps k, 2k, 3k, ... (1-based) for k &gt; 0; 0 means never.
     * Read once when sampling starts.
     */
    default int previewEvery() {
        return 0;
    }

    /**
     * Receives the scheduler's pred_original_sample (the x0 estimate, after dynamic thresholding) of the step just
     * finished, (B, 3, H, W) roughly in [-1, 1], before {@link #onStep} for the same step. Only the pixel-space
     * DDPM samplers (stage I and II) call it; for inpainting it is the model's estimate everywhere, the kept region
     * included. The array is closed when this returns: copy what you keep (e.g. ImageCodec.toPng); do not close it.
     *
     * @param stepIndex the step just finished, 1-based, a multiple of {@link #previewEvery()}
     * @param totalSteps the number of steps of this sampling run
     * @param x0 the predicted clean images of the whole batch
     */
    default void preview(int stepIndex, int totalSteps, NDArray x0) {}
}
