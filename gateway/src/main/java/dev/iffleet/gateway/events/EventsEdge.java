package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Consumes {@code if.events} and keeps each job's latest progress in its record, for every gateway replica. */
@ApplicationScoped
public class EventsEdge {

    private static final Logger LOG = Logger.getLogger(EventsEdge.class);

    @Inject
    JobStore jobs;

    @Incoming("job-events")
    @Blocking
    public void consume(String json) {
        JobEvent e;
        try {
            e = Json.read(json, JobEvent.class);
        } catch (IllegalArgumentException bad) {
            LOG.warnf("ignoring malformed event: %s", bad.getMessage());
            return;
        }
        if (e.type() == JobEvent.Type.PROGRESS && e.step() != null && e.totalSteps() != null) {
            jobs.progress(e.jobId(), e.stage(), e.step(), e.totalSteps());
        }
    }
}
