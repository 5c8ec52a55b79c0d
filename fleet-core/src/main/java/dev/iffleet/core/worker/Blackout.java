package dev.iffleet.core.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Blanks the images the safety checker flagged in the tensor a stage hands on, so no later stage enlarges what was
 * withheld here; black is -1 in the cascade's [-1, 1] range.
 */
public final class Blackout {

    private Blackout() {}

    /** {@code batch} (B, C, H, W) with image i set to -1 wherever {@code flagged[i]}; unchanged when none is. */
    public static NDArray apply(NDArray batch, boolean[] flagged) {
        NDArray out = batch;
        for (int i = 0; i < flagged.length; i++) {
            if (flagged[i]) {
                if (out == batch) {
                    out = batch.duplicate();
                }
                out.set(new NDIndex(i), -1f);
            }
        }
        return out;
    }
}
