package dev.iffleet.core.model;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Load tests only: every component call sleeps as long as the cost profile says the call takes at its batch size
 * and returns zeros of the real output's shape, so a fleet on a laptop behaves, in time, like one on the profiled
 * GPUs. Calls of one runtime take turns (one simulated device per worker process, as on a GPU, where concurrent
 * calls do not overlap). It says so loudly at start and every minute, so nobody mistakes it for a model.
 */
public final class SimulatedBackend implements ModelBackend {

    private static final Logger LOG = Logger.getLogger(SimulatedBackend.class);
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final CostProfile profile;
    // fair, so a batch waiting for the device is not overtaken forever by a stream of small calls
    private final ReentrantLock device = new ReentrantLock(true);
    private ScheduledExecutorService warner;

    public SimulatedBackend(CostProfile profile) {
        this.profile = profile;
    }

    public CostProfile profile() {
        return profile;
    }

    @Override
    public String name() {
        return SIMULATED;
    }

    @Override
    public ComponentCall open(String component, Supplier<ComponentCall> real) {
        return new SimulatedCall(component, profile.curve(component), real, device);
    }

    @Override
    public synchronized void start(ModelPack pack) {
        // a component without figures would only fail mid-job; the pack's list is what the workers may call
        pack.manifest().components().keySet().forEach(profile::curve);
        warn();
        if (warner == null) {
            warner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "simulated-backend-warning");
                t.setDaemon(true);
                return t;
            });
            warner.scheduleAtFixedRate(this::warn, WARN_EVERY.toMillis(), WARN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void warn() {
        LOG.warnf("SIMULATED MODEL BACKEND (fleet.model.backend=simulated, profile '%s'): model calls only sleep and "
                + "return zeros; images are blank. For load tests only, never for real jobs.", profile.name());
    }

    @Override
    public synchronized void close() {
        if (warner != null) {
            warner.shutdownNow();
            warner = null;
        }
    }
}
