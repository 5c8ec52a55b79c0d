package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.worker.StageWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of a worker: DOWN while a model call has run longer than {@code fleet.worker.hung-after}, a watchdog on the
 * edge's run, so that whatever supervises the process restarts it instead of leaving its jobs stuck behind a hung call.
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {

    @Inject
    Instance<StageWorker> workers;

    @Inject
    FleetConfig config;

    @Override
    public HealthCheckResponse call() {
        return check(workers, config.worker().hungAfter().toMillis(), System.currentTimeMillis());
    }

    /** The check with a given bound and time, for tests. */
    public static HealthCheckResponse check(Iterable<StageWorker> workers, long hungAfterMs, long now) {
        var builder = HealthCheckResponse.named("model-call").up();
        for (StageWorker w : workers) {
            var since = w.runningSince();
            if (since.isPresent()) {
                long ms = now - since.getAsLong();
                builder.withData(w.stage().id() + ".running_ms", ms);
                if (ms > hungAfterMs) {
                    builder.down().withData("reason", w.stage().id() + " model call running for " + ms
                            + " ms, over fleet.worker.hung-after (" + hungAfterMs + " ms)");
                }
            }
        }
        return builder.build();
    }
}
