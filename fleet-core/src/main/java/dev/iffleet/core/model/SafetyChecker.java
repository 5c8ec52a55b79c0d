package dev.iffleet.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The pack's optional safety checker (component {@value #COMPONENT}): it scores a stage's images and those scoring
 * above {@value #THRESHOLD} are flagged, to be replaced with black as diffusers' IF pipelines do. A pack without the
 * component checks nothing.
 *
 * <p>Contract: input {@code images} float32 (B, 3, H, W) in [-1, 1] at the stage's resolution; output float32 (B,)
 * in [0, 1], the probability that the image must not be shown.
 */
public final class SafetyChecker {

    public static final String COMPONENT = "safety_checker";
    public static final double THRESHOLD = 0.5;

    private final ModelRuntime runtime;

    public SafetyChecker(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    /** Whether the pack ships a checker. */
    public boolean enabled() {
        return runtime.pack().manifest().components().containsKey(COMPONENT);
    }

    /** Which images of the batch are flagged; all false without a checker. */
    public boolean[] flagged(NDArray images) {
        int batch = (int) images.getShape().get(0);
        boolean[] out = new boolean[batch];
        if (!enabled()) {
            return out;
        }
        NDArray scores = runtime.component(COMPONENT).call(new NDList(images));
        float[] s = scores.toType(DataType.FLOAT32, false).toFloatArray();
        if (s.length != batch) {
            throw new ModelUnavailableException("safety checker returned " + s.length + " scores for " + batch
                    + " images");
        }
        for (int i = 0; i < batch; i++) {
            out[i] = s[i] > THRESHOLD;
        }
        return out;
    }
}
