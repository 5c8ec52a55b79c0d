package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Calls a network of the cascade (a UNet or the VAE decoder) on the inputs a sampler assembles.
 *
 * <p>The returned array must still be open when predict returns; the sampler takes ownership of it (attaches it to
 * its own per-step scope and closes it), so an implementation must return a fresh array, not one it keeps. The
 * inputs belong to the sampler: read them, but do not close or re-attach them.
 */
@FunctionalInterface
public interface Denoiser {

    /** Runs the model; the input order and shapes are documented on each sampler. */
    NDArray predict(NDList inputs);
}
