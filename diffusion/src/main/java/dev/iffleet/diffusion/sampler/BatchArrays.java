package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-image arrays of one sampling run besides the sample itself (embeddings, conditioning, class labels),
 * kept in slots so that dropping images ({@link StepListener#dropped()}) slices all of them together and the
 * per-step input builders read the current ones.
 */
final class BatchArrays {

    /** One array of the run; {@link #get} is the current (possibly narrowed) one. */
    static final class Slot {
        private NDArray array;
        private boolean owned;
        private final boolean unet;

        private Slot(NDArray array, boolean owned, boolean unet) {
            this.array = array;
            this.owned = owned;
            this.unet = unet;
        }

        NDArray get() {
            return array;
        }
    }

    private final boolean guided;
    private final List<Slot> slots = new ArrayList<>();

    BatchArrays(boolean guided) {
        this.guided = guided;
    }

    /**
     * A (B, ...) array whose row i belongs to image i, or a (1, ...) array that serves every image.
     *
     * @param owned whether the run made it (it is closed when replaced); false for the caller's arrays
     */
    Slot images(NDArray a, boolean owned) {
        return add(new Slot(a, owned, false));
    }

    /** A UNet-batch array: (2B, ...) [uncond half, cond half] under guidance, else (B, ...). */
    Slot unet(NDArray a, boolean owned) {
        return add(new Slot(a, owned, true));
    }

    private Slot add(Slot s) {
        slots.add(s);
        return s;
    }

    /** The current arrays, to borrow into a step's scope. */
    NDArray[] all() {
        NDArray[] out = new NDArray[slots.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = slots.get(i).array;
        }
        return out;
    }

    /** Keeps the rows of the images at positions of the current batch of the given size in every slot. */
    void retain(int[] positions, int batch) {
        for (Slot s : slots) {
            NDArray next = s.unet ? LiveRows.takeUnet(s.array, positions, guided, batch)
                    : LiveRows.take(s.array, positions);
            if (next != s.array) {
                if (s.owned) {
                    s.array.close();
                }
                s.array = next;
                s.owned = true;
            }
        }
    }
}
