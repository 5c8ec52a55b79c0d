package dev.iffleet.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Supplies reproducible standard-normal noise from a seed, independent of DJL's and the engine's global RNG.
 *
 * <p>This is NOT torch's generator: the same seed gives different numbers than torch.randn, so images will not
 * match a diffusers run with the same seed; they are reproducible across runs of this code. Values are drawn
 * on the host from a {@link SplittableRandom} with the Box–Muller transform, in row-major order, and successive
 * calls continue the same stream. One instance per job; not thread-safe.
 */
public final class NoiseSource {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    /** Starts a noise stream; equal seeds give equal streams. */
    public NoiseSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next shape.size() standard-normal float32 values as an array of that shape in the given manager. */
    public NDArray gaussian(NDManager manager, Shape shape) {
        long size = shape.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape too large: " + shape);
        }
        float[] data = new float[(int) size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) nextGaussian();
        }
        return manager.create(data, shape);
    }

    /** Box–Muller: two uniforms give two independent N(0, 1) values; the second is kept for the next call. */
    private double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 <= Double.MIN_NORMAL);
        double u2 = random.nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        double angle = 2.0 * Math.PI * u2;
        spare = radius * Math.sin(angle);
        hasSpare = true;
        return radius * Math.cos(angle);
    }
}
