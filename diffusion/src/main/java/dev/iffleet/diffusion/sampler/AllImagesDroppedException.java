package dev.iffleet.diffusion.sampler;

/**
 * Thrown by a sampler when {@link StepListener#dropped()} has dropped every image of its batch: it stops without
 * further model calls and has no result. The run's arrays are released as on any other abort; the caller's
 * inputs stay open.
 */
public final class AllImagesDroppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int stepIndex;

    AllImagesDroppedException(int stepIndex, int totalSteps) {
        super("every image of the batch was dropped after step " + stepIndex + " of " + totalSteps);
        this.stepIndex = stepIndex;
    }

    /** The 1-based step after which the last images were dropped. */
    public int stepIndex() {
        return stepIndex;
    }
}
