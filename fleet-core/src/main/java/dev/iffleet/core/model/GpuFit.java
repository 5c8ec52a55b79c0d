package dev.iffleet.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a component whose weights cannot fit the GPU's free memory, before libtorch tries: an out-of-memory
 * error half way through loading leaves a worker that neither serves nor says why. The estimate is the file's
 * size (a TorchScript file is its weights plus a little code), so activations still need room beyond it.
 */
final class GpuFit {

    private GpuFit() {}

    /** Why the component does not fit, or empty when its weights fit into the free memory. */
    static Optional<String> problem(String component, String file, long modelBytes, String device, long freeBytes,
            long totalBytes) {
        if (modelBytes <= freeBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "component '%s' does not fit %s: its weights need about %s (size of %s) but only %s of %s are free;"
                        + " free the GPU, give the worker a larger one, or use a float16 export",
                component, device, gb(modelBytes), file, gb(freeBytes), gb(totalBytes)));
    }

    /** Throws {@link ModelUnavailableException} with {@link #problem}'s message when the component does not fit. */
    static void check(String component, String file, long modelBytes, String device, long freeBytes, long totalBytes) {
        Optional<String> p = problem(component, file, modelBytes, device, freeBytes, totalBytes);
        if (p.isPresent()) {
            throw new ModelUnavailableException(p.get());
        }
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
