package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.iffleet.diffusion.NoiseSource;
import java.util.Arrays;
import java.util.OptionalInt;

/** Shared plumbing of the samplers: routing intermediates into short-lived managers, constant inputs, progress. */
final class SamplerSupport {

    private SamplerSupport() {}

    /**
     * Temporarily attaches arrays to scope: DJL puts an operation's result in its first operand's manager, so
     * borrowed inputs make every derived array land in scope; they return to their owners when scope closes.
     */
    static void borrow(NDManager scope, NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a.getManager() != scope) {
                a.tempAttach(scope);
            }
        }
    }

    /** Moves an array (a fresh result of ours) into scope for good, so it is closed with it; returns it. */
    static NDArray own(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    /** Notifies the listener of a finished step (1-based). */
    static void report(StepListener listener, int index, int total) {
        if (listener != null) {
            listener.onStep(index, total);
        }
    }

    /** An int64 vector of length n filled with value: the per-sample timestep / class-label tensors of the UNets. */
    static NDArray filledLong(NDManager manager, long n, long value) {
        long[] data = new long[Math.toIntExact(n)];
        Arrays.fill(data, value);
        return manager.create(data);
    }

    /** Checks that a per-image noise source has one stream per image of the batch. */
    static void checkNoise(NoiseSource noise, long batch) {
        OptionalInt images = noise.images();
        if (images.isPresent() && images.getAsInt() != batch) {
            throw new IllegalArgumentException(
                    "per-image noise has " + images.getAsInt() + " seeds for a batch of " + batch);
        }
    }

    /** Checks that the cond and uncond embeddings agree in shape and returns their batch size B. */
    static long batchOf(NDArray textEmb, NDArray negEmb) {
        if (!textEmb.getShape().equals(negEmb.getShape())) {
            throw new IllegalArgumentException(
                    "textEmb " + textEmb.getShape() + " and negEmb " + negEmb.getShape() + " differ");
        }
        return textEmb.getShape().get(0);
    }
}
