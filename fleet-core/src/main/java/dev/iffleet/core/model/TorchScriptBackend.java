package dev.iffleet.core.model;

import java.util.function.Supplier;

/** The real thing: every call runs the pack's TorchScript module. */
final class TorchScriptBackend implements ModelBackend {

    @Override
    public String name() {
        return TORCHSCRIPT;
    }

    @Override
    public ComponentCall open(String component, Supplier<ComponentCall> real) {
        return real.get();
    }
}
