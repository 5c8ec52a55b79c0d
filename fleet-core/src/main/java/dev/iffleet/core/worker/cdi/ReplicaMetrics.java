package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.model.RuntimeSettings;
import dev.iffleet.core.observe.MicrometerStageMetrics;
import dev.iffleet.core.observe.StageMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * This process's {@link StageMetrics}: the worker's collaborators are made before the worker says which stage it
 * is, so the Micrometer meters (tagged with stage and replica) are bound at start-up, before the replica takes work.
 * Also the GPU memory gauge, registered only on a GPU device.
 */
final class ReplicaMetrics implements StageMetrics {

    private static final Logger LOG = Logger.getLogger(ReplicaMetrics.class);

    private final MeterRegistry registry;
    private volatile StageMetrics bound = NONE;

    ReplicaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void bind(String stage, String replica, String device) {
        bound = new MicrometerStageMetrics(registry, stage, replica);
        if (device.trim().startsWith("gpu")) {
            ai.djl.Device d = new RuntimeSettings(device, "float32", 0).djlDevice();
            // read at each scrape through CUDA's runtime; NaN when it cannot be read, absent on a CPU replica
            Gauge.builder(MicrometerStageMetrics.PREFIX + "gpu_memory_used", d, ReplicaMetrics::gpuUsed)
                    .description("GPU memory in use on this replica's device").baseUnit("bytes")
                    .tags("stage", stage, "replica", replica, "device", device).register(registry);
        }
    }

    private static double gpuUsed(ai.djl.Device d) {
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(d).getUsed();
        } catch (RuntimeException | LinkageError e) {
            LOG.debugf("GPU memory not readable: %s", e.getMessage());
            return Double.NaN;
        }
    }

    @Override
    public void queueWait(long millis) {
        bound.queueWait(millis);
    }

    @Override
    public void modelRun(int jobs, long nanos, int steps) {
        bound.modelRun(jobs, nanos, steps);
    }

    @Override
    public void failure(String code) {
        bound.failure(code);
    }

    @Override
    public void redis(String script, long nanos) {
        bound.redis(script, nanos);
    }

    @Override
    public void kafkaPublish(String kind, long nanos) {
        bound.kafkaPublish(kind, nanos);
    }

    @Override
    public void inFlight(IntSupplier jobs) {
        bound.inFlight(jobs);
    }
}
