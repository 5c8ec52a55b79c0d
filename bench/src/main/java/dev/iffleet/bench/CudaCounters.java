package dev.iffleet.bench;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the counters of bench/native/cudacount.c, an LD_PRELOAD shim that counts the CUDA runtime's copies and
 * synchronizations of the whole process (libtorch's included). Without the shim ({@code CUDACOUNT_LIB} unset)
 * every count is -1: the bench still runs, it just cannot say how often the host waited.
 */
final class CudaCounters {

    /** Order of cc_read's output array, as in cudacount.c. */
    static final String[] NAMES = {"dtoh", "htod", "dtod", "memcpy_other", "stream_syncs", "device_syncs",
        "event_syncs"};

    private final Function read;
    private final Function reset;

    private CudaCounters(NativeLibrary lib) {
        this.read = lib == null ? null : lib.getFunction("cc_read");
        this.reset = lib == null ? null : lib.getFunction("cc_reset");
    }

    static CudaCounters open() {
        String path = System.getenv("CUDACOUNT_LIB");
        return new CudaCounters(path == null || path.isEmpty() ? null : NativeLibrary.getInstance(path));
    }

    void reset() {
        if (reset != null) {
            reset.invokeVoid(new Object[0]);
        }
    }

    /** Counts since the last reset, divided by {@code per} (calls or steps). */
    Map<String, Double> read(int per) {
        long[] v = new long[NAMES.length];
        if (read != null) {
            read.invokeVoid(new Object[] {v});
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            out.put(NAMES[i], read == null ? -1.0 : (double) v[i] / per);
        }
        out.put("syncs", read == null ? -1.0 : (double) (v[4] + v[5] + v[6]) / per);
        return out;
    }
}
