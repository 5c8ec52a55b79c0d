package dev.iffleet.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One component of the pack (T5 encoder, a UNet, the VAE decoder...) as the workers call it. How the call is
 * run — the TorchScript module, or a simulation of its cost for load tests — is the runtime's {@link ModelBackend}.
 */
public final class Component implements AutoCloseable {

    private final String name;
    private final ComponentCall impl;

    Component(String name, ComponentCall impl) {
        this.name = name;
        this.impl = impl;
    }

    public String name() {
        return name;
    }

    /** Runs the module; float inputs are cast to the module's dtype and the first output comes back as float32. */
    public NDArray call(NDList inputs) {
        return impl.call(inputs);
    }

    /** Number of predictors made so far: the most concurrent calls seen. */
    public int predictorCount() {
        return impl.predictorCount();
    }

    @Override
    public void close() {
        impl.close();
    }
}
