package dev.iffleet.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Where and how a worker runs its models.
 *
 * @param device {@code cpu} or {@code gpu:N}
 * @param dtype {@code float32} or {@code float16}
 * @param threads intra-op threads of libtorch (0 = libtorch's default)
 */
public record RuntimeSettings(String device, String dtype, int threads) {

    public static RuntimeSettings cpu() {
        return new RuntimeSettings("cpu", "float32", 0);
    }

    public Device djlDevice() {
        String d = device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(d.substring(4)));
        }
        throw new IllegalArgumentException("device must be 'cpu' or 'gpu:N', got '" + device + "'");
    }

    public DataType djlDtype() {
        return switch (dtype.trim().toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("dtype must be float32 or float16, got '" + dtype + "'");
        };
    }
}
