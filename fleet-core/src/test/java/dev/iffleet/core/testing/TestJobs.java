package dev.iffleet.core.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.store.TensorCodec;

/** Small, fast jobs and stand-in artifacts for worker tests. */
public final class TestJobs {

    private TestJobs() {}

    /** A job with few steps per stage so a CPU test stays quick. */
    public static JobParams smallJob(String prompt, int outputSize) {
        return new JobParams(prompt, "", 42, outputSize,
                new StageOverrides(4, 7.0, null), new StageOverrides(3, 4.0, null), new StageOverrides(3, 9.0, null));
    }

    /** A random tensor of the given shape, encoded as {@code dtype}. */
    public static byte[] randomTensor(DataType dtype, long... shape) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            return TensorCodec.encode(m.randomNormal(new Shape(shape)).clip(-1, 1), dtype);
        }
    }
}
