package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.BitSet;

/**
 * Which images of a sampler's batch are still computed, as original batch indices, and the row slicing that
 * drops the others (see {@link StepListener#dropped()}).
 */
final class LiveRows {

    private final int original;
    private int[] rows;

    LiveRows(long batch) {
        original = Math.toIntExact(batch);
        rows = new int[original];
        for (int i = 0; i < original; i++) {
            rows[i] = i;
        }
    }

    /** The original indices of the images still in the batch, ascending (a copy). */
    int[] rows() {
        return rows.clone();
    }

    /** The current batch size. */
    int size() {
        return rows.length;
    }

    /**
     * Reads the listener's dropped set after step stepIndex and returns the positions, in the current batch, of
     * the images that stay, or null when no further image was dropped.
     *
     * @throws AllImagesDroppedException when none is left
     * @throws IllegalArgumentException for an index outside the original batch
     */
    int[] drop(StepListener l, int stepIndex, int totalSteps) {
        BitSet dropped = l == null ? null : l.dropped();
        if (dropped == null || dropped.isEmpty()) {
            return null;
        }
        if (dropped.length() > original) {
            throw new IllegalArgumentException(
                    "dropped image " + (dropped.length() - 1) + " is outside the batch of " + original);
        }
        int kept = 0;
        for (int r : rows) {
            kept += dropped.get(r) ? 0 : 1;
        }
        if (kept == rows.length) {
            return null;
        }
        if (kept == 0) {
            throw new AllImagesDroppedException(stepIndex, totalSteps);
        }
        int[] positions = new int[kept];
        int[] next = new int[kept];
        for (int p = 0, j = 0; p < rows.length; p++) {
            if (!dropped.get(rows[p])) {
                positions[j] = p;
                next[j++] = rows[p];
            }
        }
        rows = next;
        return positions;
    }

    /**
     * Rows positions of a (B, ...) array, in a's manager (exact copies). A row is a per-image array's image;
     * a (1, ...) array of a batch of B &gt; 1 serves every image and is returned as it is.
     */
    static NDArray take(NDArray a, int[] positions) {
        if (a.getShape().get(0) == 1) {
            return a;
        }
        return rows(a, positions);
    }

    /**
     * Rows of a UNet-batch array of current batch B: with guidance (2B, ...) = [uncond half, cond half] keeps rows
     * p and B + p of every position p, else as {@link #take}.
     */
    static NDArray takeUnet(NDArray a, int[] positions, boolean guided, int batch) {
        if (!guided) {
            return take(a, positions);
        }
        int[] both = new int[2 * positions.length];
        for (int j = 0; j < positions.length; j++) {
            both[j] = positions[j];
            both[positions.length + j] = batch + positions[j];
        }
        return rows(a, both);
    }

    private static NDArray rows(NDArray a, int[] positions) {
        NDList parts = new NDList(positions.length);
        for (int p : positions) {
            parts.add(a.get(new NDIndex("{}:{}", p, p + 1)));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray out = NDArrays.concat(parts, 0);
        parts.close();
        return out;
    }
}
