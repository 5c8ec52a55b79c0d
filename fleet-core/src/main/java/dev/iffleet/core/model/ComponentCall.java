package dev.iffleet.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * How one component's module is run by a {@link ModelBackend}: the real TorchScript module, or a simulation of its
 * cost. The contract is {@link Component#call}'s: float inputs, the first output back as float32, owned by the
 * inputs' NDManager.
 */
public interface ComponentCall extends AutoCloseable {

    NDArray call(NDList inputs);

    /** Number of predictors made so far: the most concurrent real calls seen. */
    int predictorCount();

    @Override
    void close();
}
