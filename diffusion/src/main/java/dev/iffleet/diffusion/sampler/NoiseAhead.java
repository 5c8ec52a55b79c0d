package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Draws each step's noise on the host one step ahead, on a background thread, while the device runs the current
 * step. Why: Box-Muller on the host for a (B, 3, 256, 256) batch takes milliseconds that would otherwise sit
 * between two UNet calls; the seeded host stream is kept (rather than the device's RNG) so an image is the same
 * on CPU and GPU. Only the host-to-device copy of the drawn values stays in the step.
 *
 * <p>The draws are exactly those the loop made itself before: one of the sample's shape per step, in order. When
 * images are dropped, a per-image source is narrowed ({@link NoiseSource#retain}) so that kept images' streams go
 * on unchanged; a single-stream source keeps drawing the original batch and the dropped rows are discarded.
 * The source is touched by one thread at a time: a draw is submitted only after the previous one was collected.
 */
final class NoiseAhead implements AutoCloseable {

    private static final ExecutorService DRAWS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "noise-ahead");
        t.setDaemon(true);
        return t;
    });

    private final long[] imageDims;
    private final boolean perImage;
    private NoiseSource source;
    /** Original indices of the images the source draws for (all of them for a single stream). */
    private int[] sourceRows;
    private Future<float[]> pending;
    private int[] pendingRows;
    private int remaining;

    /**
     * @param shape the sample's shape (B, ...) at the start
     * @param draws the number of steps (one draw each)
     */
    NoiseAhead(NoiseSource noise, Shape shape, int draws) {
        this.source = noise;
        this.perImage = noise.images().isPresent();
        this.imageDims = Arrays.copyOfRange(shape.getShape(), 1, shape.dimension());
        this.sourceRows = new LiveRows(shape.get(0)).rows();
        this.remaining = draws;
        if (draws > 0) {
            submit();
        }
    }

    /**
     * The next step's noise for the images rows (original indices, ascending, those still in the batch), as a
     * (rows.length, ...) array in m; submits the draw of the step after it.
     */
    NDArray next(NDManager m, int[] rows) {
        if (remaining <= 0) {
            throw new IllegalStateException("no draw left");
        }
        float[] data = collect();
        int[] drawn = pendingRows;
        pending = null;
        remaining--;
        if (remaining > 0) {
            if (perImage && !Arrays.equals(rows, sourceRows)) {
                source = source.retain(positionsIn(sourceRows, rows));
                sourceRows = rows.clone();
            }
            submit();
        }
        return m.create(pick(data, drawn, rows), shape(rows.length));
    }

    private void submit() {
        NoiseSource s = source;
        Shape shape = shape(sourceRows.length);
        pendingRows = sourceRows;
        pending = DRAWS.submit(() -> s.gaussianValues(shape));
    }

    private float[] collect() {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing noise", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
    }

    private Shape shape(int batch) {
        long[] dims = new long[imageDims.length + 1];
        dims[0] = batch;
        System.arraycopy(imageDims, 0, dims, 1, imageDims.length);
        return new Shape(dims);
    }

    /** The rows of data (drawn for images drawn) that belong to images rows, a subset of drawn. */
    private static float[] pick(float[] data, int[] drawn, int[] rows) {
        if (Arrays.equals(drawn, rows)) {
            return data;
        }
        int per = data.length / drawn.length;
        float[] out = new float[rows.length * per];
        int[] at = positionsIn(drawn, rows);
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(data, at[j] * per, out, j * per, per);
        }
        return out;
    }

    private static int[] positionsIn(int[] all, int[] some) {
        int[] out = new int[some.length];
        for (int j = 0, p = 0; j < some.length; j++) {
            while (all[p] != some[j]) {
                p++;
            }
            out[j] = p;
        }
        return out;
    }

    /** Waits for a draw still in flight (after an abort), so no thread touches the source once the run is over. */
    @Override
    public void close() {
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // The run is over already; its own failure is what the caller sees.
            }
            pending = null;
        }
    }
}
