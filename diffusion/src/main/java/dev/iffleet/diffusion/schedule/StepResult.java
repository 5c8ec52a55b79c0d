package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;

/**
 * Carries one scheduler step's outputs: the sample at the previous timestep and the predicted x0.
 *
 * @param prevSample x_{t-1}, the next sample of the denoising loop
 * @param predOriginalSample the model's estimate of the clean sample x0 (after thresholding, where applied)
 */
public record StepResult(NDArray prevSample, NDArray predOriginalSample) {}
