package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import java.util.BitSet;

/**
 * Observes sampler progress after each denoising step, and optionally the predicted clean image; throwing a
 * RuntimeException from any method aborts sampling of the whole batch (e.g. on cancel of a one-job batch).
 *
 * <p>Previews are opt-in: a listener that keeps {@link #previewEvery()} at 0 is never handed an x0 and costs
 * nothing extra (the DDPM step computes pred_original_sample anyway).
 *
 * <p>Cross-job batches: a caller that concatenates several jobs' images into one sampler batch (with
 * {@link dev.iffleet.diffusion.NoiseSource#perImage} over all their seeds) can drop a cancelled job's images
 * mid-run through {@link #dropped()}; the others go on exactly as they would alone.
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
     * The images to drop from the batch from the next step on, read by every sampler right after each step's
     * {@link #onStep} (also after the last step, so a drop then keeps the image out of the result and, for the
     * upscaler, out of the VAE decode). Bits are indices into the batch as it was when sampling started (0 to
     * B - 1), whatever was dropped before; the set is cumulative: an image once dropped stays dropped, and bits
     * already seen may be repeated or not. Null or empty drops nothing. The sampler only reads the set, right
     * away, on its own thread.
     *
     * <p>A dropped image's rows leave every per-image array of the run (sample, both guidance halves of the
     * embeddings and UNet inputs, init image and mask, low-res conditioning, class labels, timestep tensors) and,
     * for a per-image NoiseSource, its stream; each kept image's trajectory is then bit for bit the one it has
     * in a run without the dropped ones (on CPU with a model whose row n depends on input row n only). With a
     * single-stream NoiseSource the full batch's noise is still drawn and the dropped rows discarded, so kept
     * images stay what they were in the undropped batch. The sampler returns the kept images only, in their
     * original order.
     *
     * @return the original indices dropped so far, or null
     * @throws AllImagesDroppedException (from the sampler, not from here) once every image is dropped: sampling
     *     stops at once, without further model calls, and there is no result
     */
    default BitSet dropped() {
        return null;
    }

    /**
     * How often {@link #preview} is called: after steps k, 2k, 3k, ... (1-based) for k &gt; 0; 0 means never.
     * Read once when sampling starts.
     */
    default int previewEvery() {
        return 0;
    }

    /**
     * Receives the scheduler's pred_original_sample (the x0 estimate, after dynamic thresholding) of the step just
     * finished, (B', 3, H, W) roughly in [-1, 1], before {@link #onStep} for the same step. Only the pixel-space
     * DDPM samplers (stage I and II) call it; for inpainting it is the model's estimate everywhere, the kept region
     * included. The array is closed when this returns: copy what you keep (e.g. ImageCodec.toPng); do not close it.
     * The samplers call this overload; by default it forwards to {@link #preview(int, int, NDArray)}.
     *
     * @param stepIndex the step just finished, 1-based, a multiple of {@link #previewEvery()}
     * @param totalSteps the number of steps of this sampling run
     * @param x0 the predicted clean images of the images still in the batch
     * @param rows rows[i] is the original batch index (as in {@link #dropped()}) of x0's row i, ascending; a
     *     fresh array the listener may keep
     */
    default void preview(int stepIndex, int totalSteps, NDArray x0, int[] rows) {
        preview(stepIndex, totalSteps, x0);
    }

    /**
     * {@link #preview(int, int, NDArray, int[])} without the rows, for listeners of one-job batches (then
     * x0 has every image of the batch, in order, unless images were dropped).
     */
    default void preview(int stepIndex, int totalSteps, NDArray x0) {}
}
