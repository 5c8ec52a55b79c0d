package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.WorkerState;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Warms each stage worker up at start-up on its own thread, so health endpoints answer (not ready)
 * while models load instead of the process looking hung; a failed warm-up ends the process.
 */
@ApplicationScoped
public class WorkerStartup {

    @Inject
    Instance<StageWorker> workers;

    @Inject
    FleetConfig config;

    void onStart(@Observes StartupEvent event) {
        for (StageWorker w : workers) {
            Thread t = new Thread(() -> {
                w.start(config.model().warmup());
                if (w.state() == WorkerState.FAILED) {
                    // a worker that cannot run its model must not linger half-alive: exit so the orchestrator sees it
                    Quarkus.asyncExit(1);
                }
            }, "warmup-" + w.stage().id());
            t.setDaemon(true);
            t.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.forEach(StageWorker::stop);
    }
}
