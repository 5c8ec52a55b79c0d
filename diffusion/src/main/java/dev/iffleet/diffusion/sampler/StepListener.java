package dev.iffleet.diffusion.sampler;

/** Observes sampler progress after each denoising step; throwing a RuntimeException aborts sampling (e.g. on cancel). */
@FunctionalInterface
public interface StepListener {

    /** A listener that ignores progress. */
    StepListener NONE = (stepIndex, totalSteps) -> {};

    /**
     * @param stepIndex the step just finished, 1-based
     * @param totalSteps the number of steps of this sampling run
     */
    void onStep(int stepIndex, int totalSteps);
}
