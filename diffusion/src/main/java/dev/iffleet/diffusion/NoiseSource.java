package dev.iffleet.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Supplies reproducible standard-normal noise from a seed, independent of DJL's and the engine's global RNG.
 *
 * <p>This is NOT torch's generator: the same seed gives different numbers than torch.randn, so images will not
 * match a diffusers run with the same seed; they are reproducible across runs of this code. Values are drawn
 * on the host from a {@link SplittableRandom} with the Box–Muller transform, in row-major order, and successive
 * calls continue the same stream. One instance per job (or per cross-job batch, with {@link #perImage} over all
 * its jobs' seeds, narrowed by {@link #retain} when a job leaves it); not thread-safe.
 *
 * <p>Two variants: {@link #NoiseSource(long)} fills each whole (B, ...) draw from one stream, so image i of a
 * batch depends on the batch size; {@link #perImage(long...)} gives every image of the batch its own stream, as
 * diffusers does with a list of generators, so image i of a batch equals a one-image run with seed i.
 */
public final class NoiseSource {

    private final GaussianStream[] streams;
    private final boolean perImage;

    /** Starts a single noise stream for whole batches; equal seeds give equal streams. */
    public NoiseSource(long seed) {
        this(new GaussianStream[] {new GaussianStream(seed)}, false);
    }

    private NoiseSource(GaussianStream[] streams, boolean perImage) {
        this.streams = streams;
        this.perImage = perImage;
    }

    /**
     * One stream per image of a batch: every draw must then have batch size seeds.length, and image i (index i
     * of dimension 0) is filled from the stream of seeds[i] with the shape's remaining dimensions. Image i of any
     * run is therefore identical to image 0 of a one-image run with {@code new NoiseSource(seeds[i])}, whatever
     * the other seeds are.
     */
    public static NoiseSource perImage(long... seeds) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("perImage needs at least one seed");
        }
        GaussianStream[] streams = new GaussianStream[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            streams[i] = new GaussianStream(seeds[i]);
        }
        return new NoiseSource(streams, true);
    }

    /** The batch size a per-image source requires of every draw; empty for a single-stream source. */
    public OptionalInt images() {
        return perImage ? OptionalInt.of(streams.length) : OptionalInt.empty();
    }

    /**
     * The next shape.size() standard-normal float32 values as an array of that shape in the given manager. For a
     * per-image source, shape.get(0) must equal {@link #images()} and each image's slice comes from its own stream.
     */
    public NDArray gaussian(NDManager manager, Shape shape) {
        return manager.create(gaussianValues(shape), shape);
    }

    /**
     * The values {@link #gaussian} would put in its array, drawn on the host (row-major), advancing the streams
     * the same way. Lets a sampler draw the next step's noise on another thread while the device runs this step;
     * only the host-to-device copy stays in the step. Not thread-safe: one draw at a time.
     */
    public float[] gaussianValues(Shape shape) {
        long size = shape.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape too large: " + shape);
        }
        float[] data = new float[(int) size];
        if (!perImage) {
            streams[0].fill(data, 0, data.length);
        } else {
            if (shape.dimension() == 0 || shape.get(0) != streams.length) {
                throw new IllegalArgumentException(
                        "per-image noise for " + streams.length + " images cannot fill " + shape);
            }
            int per = data.length / streams.length;
            for (int i = 0; i < streams.length; i++) {
                streams[i].fill(data, i * per, per);
            }
        }
        return data;
    }

    /**
     * A per-image source over the streams of the given images (indices into this source's images, ascending or
     * not; each at most once), for a batch from which other images were dropped: image j of the result is this
     * source's image rows[j], so a kept image goes on with exactly the numbers it would have drawn alone. The
     * streams are shared, not copied: drawing from either source advances them for both; use only the new one.
     *
     * @throws IllegalStateException for a single-stream source, whose image i depends on the whole batch (a
     *     sampler keeps drawing its full batch and drops rows of the draw instead)
     */
    public NoiseSource retain(int... rows) {
        if (!perImage) {
            throw new IllegalStateException("a single-stream noise source cannot be narrowed to some images");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("retain needs at least one image");
        }
        GaussianStream[] kept = new GaussianStream[rows.length];
        boolean[] seen = new boolean[streams.length];
        for (int j = 0; j < rows.length; j++) {
            int r = rows[j];
            if (r < 0 || r >= streams.length || seen[r]) {
                throw new IllegalArgumentException("bad or repeated image " + r + " of " + streams.length);
            }
            seen[r] = true;
            kept[j] = streams[r];
        }
        return new NoiseSource(kept, true);
    }

    /** One seeded N(0, 1) stream. */
    private static final class GaussianStream {

        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        GaussianStream(long seed) {
            this.random = new SplittableRandom(seed);
        }

        void fill(float[] data, int from, int count) {
            for (int i = from; i < from + count; i++) {
                data[i] = (float) nextGaussian();
            }
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
}
