package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.gateway.submit.JobSubmitter;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/jobs/{id}/events}: a job's events as Server-Sent Events, history first, then live ones until
 * a terminal event. The stream polls the job's Redis history, so it works on any gateway replica.
 */
@Path("/v1/jobs/{id}/events")
@ApplicationScoped
public class JobEventsResource {

    private static final Logger LOG = Logger.getLogger(JobEventsResource.class);
    private static final long POLL_MS = 200;

    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sse-poller");
        t.setDaemon(true);
        return t;
    });

    @Inject
    EventHistory history;

    @Inject
    JobStore jobs;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        if (!JobSubmitter.isJobId(id) || jobs.find(id).isEmpty()) {
            throw new NotFoundException("no job " + id + " (unknown or expired)");
        }
        long from = resumeIndex(lastEventId);
        return Multi.createFrom().emitter(em -> poller.execute(() -> poll(id, from, sse, em)));
    }

    void stop(@Observes ShutdownEvent ev) {
        poller.shutdownNow();
    }

    static long resumeIndex(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.trim()) + 1);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void poll(String id, long from, Sse sse, MultiEmitter<? super OutboundSseEvent> em) {
        if (em.isCancelled()) {
            return;
        }
        long next = from;
        try {
            List<String> events = history.from(id, from);
            Optional<JobRecord> job = Optional.empty();
            for (String json : events) {
                long index = next++;
                JobEvent e;
                try {
                    e = Json.read(json, JobEvent.class);
                } catch (IllegalArgumentException unknownType) {
                    continue;
                }
                if (job.isEmpty() && e.type() == JobEvent.Type.SUCCEEDED) {
                    job = jobs.find(id);
                }
                String name = EventPayloads.name(e);
                em.emit(sse.newEventBuilder()
                        .id(Long.toString(index))
                        .name(name)
                        .mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, Json.write(EventPayloads.data(e, job)))
                        .build());
                if (EventHistory.terminal(e.type().id())) {
                    em.complete();
                    return;
                }
            }
            if (events.isEmpty() && jobs.find(id).isEmpty()) {
                em.complete(); // the job expired or was deleted: nothing more will come
                return;
            }
        } catch (RuntimeException e) {
            LOG.debugf("event stream of job %s: %s", id, e.getMessage());
        }
        long resumeAt = next;
        if (!em.isCancelled()) {
            poller.schedule(() -> poll(id, resumeAt, sse, em), POLL_MS, TimeUnit.MILLISECONDS);
        }
    }
}
