package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.WorkerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of a worker: up only once its models are loaded and warmed up. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    @Inject
    Instance<StageWorker> workers;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("stage-worker").up();
        for (StageWorker w : workers) {
            builder.withData(w.stage().id(), w.state().name());
            if (w.state() != WorkerState.READY) {
                builder.down();
            }
        }
        return builder.build();
    }
}
