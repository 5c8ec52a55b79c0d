package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The UNet's int64 (n,) timestep tensor of every step of a run, made before the loop in the run's manager (on
 * the sample's device). Why: creating it inside the step is a blocking host-to-device copy plus a sync on a GPU
 * every step; made up front, the copies are issued before the first UNet call. Remade (for the remaining steps
 * only) when images are dropped and n shrinks.
 */
final class TimestepTable {

    private final NDManager run;
    private final int[] timesteps;
    private final NDArray[] tensors;

    TimestepTable(NDManager run, int[] timesteps, long n) {
        this.run = run;
        this.timesteps = timesteps.clone();
        this.tensors = new NDArray[timesteps.length];
        resize(0, n);
    }

    /** Step i's tensor (all entries timesteps[i]). */
    NDArray get(int i) {
        return tensors[i];
    }

    /** Remakes the tensors of steps from on for a UNet batch of n, closing the old ones. */
    void resize(int from, long n) {
        for (int i = from; i < tensors.length; i++) {
            if (tensors[i] != null) {
                tensors[i].close();
            }
            tensors[i] = SamplerSupport.filledLong(run, n, timesteps[i]);
        }
    }
}
