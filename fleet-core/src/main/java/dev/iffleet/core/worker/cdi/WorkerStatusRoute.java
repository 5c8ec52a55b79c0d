package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.queue.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Serves {@code GET /fleet/worker}: this replica's state, batching and counters as JSON. */
@ApplicationScoped
public class WorkerStatusRoute {

    @Inject
    WorkerStartup startup;

    void route(@Observes Router router) {
        router.get("/fleet/worker").handler(rc -> rc.response()
                .putHeader("content-type", "application/json")
                .end(Json.write(startup.status())));
    }
}
