package dev.iffleet.core.model;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a runtime runs its components, chosen by name in {@code fleet.model.backend}: {@value #TORCHSCRIPT} (the
 * pack's modules, the default) or {@value #SIMULATED} (load tests only: sleeps from a cost profile).
 */
public interface ModelBackend extends AutoCloseable {

    String TORCHSCRIPT = "torchscript";
    String SIMULATED = "simulated";

    /** The name in config, which workers report in their status and job records. */
    String name();

    /**
     * How {@code component} is called.
     *
     * @param real loads the component's TorchScript module; called at most once, and only when needed
     */
    ComponentCall open(String component, Supplier<ComponentCall> real);

    /** Called once when a runtime opens on {@code pack}: fail fast on what cannot run, say what is not real. */
    default void start(ModelPack pack) {}

    @Override
    default void close() {}

    /** The backend {@code name} names; {@code profile} is the cost profile file the simulated backend needs. */
    static ModelBackend named(String name, Optional<String> profile) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case TORCHSCRIPT -> new TorchScriptBackend();
            case SIMULATED -> new SimulatedBackend(CostProfile.load(Path.of(profile.orElseThrow(
                    () -> new ModelUnavailableException("fleet.model.backend=simulated needs fleet.model.profile "
                            + "(a cost profile JSON, e.g. models/profiles/h200-fp16.json)")))));
            default -> throw new ModelUnavailableException("unknown fleet.model.backend '" + name + "' (expected "
                    + TORCHSCRIPT + " or " + SIMULATED + ")");
        };
    }
}
