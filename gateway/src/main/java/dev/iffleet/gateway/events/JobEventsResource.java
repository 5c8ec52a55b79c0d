package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.gateway.OpenApiDocs;
import dev.iffleet.gateway.api.JobAccess;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/jobs/{id}/events}: a job's events as Server-Sent Events, history first, then live ones until
 * a terminal event. The stream polls the job's Redis history, so it works on any gateway replica.
 */
@Path("/v1/jobs/{id}/events")
@SecurityRequirement(name = OpenApiDocs.API_KEY)
@ApplicationScoped
public class JobEventsResource {

    private static final Logger LOG = Logger.getLogger(JobEventsResource.class);
    private static final long POLL_MS = 200;
    /** The comment of a keep-alive line, sent as {@code : keep-alive}. */
    static final String KEEP_ALIVE = " keep-alive";

    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sse-poller");
        t.setDaemon(true);
        return t;
    });

    @Inject
    EventHistory history;

    @Inject
    JobStore jobs;

    @Inject
    EventsConfig config;

    @Inject
    JobAccess access;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "A job's events as Server-Sent Events", description = "history first, then live events until "
            + "completed, failed or canceled; each id is the event's index, Last-Event-ID: N resumes after event N; "
            + "a comment line ': keep-alive' after fleet.events.keep-alive (15 s) of silence; 404 for an unknown job "
            + "or, with API keys on, another key's")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse, @Context SecurityContext caller) {
        access.find(id, caller);
        long from = resumeIndex(lastEventId);
        long openedAt = System.currentTimeMillis();
        return Multi.createFrom().emitter(em -> poller.execute(() -> poll(new Stream(id, sse, em, from, openedAt))));
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

    /** One open stream: where it is in the job's history and when it last sent anything. */
    private record Stream(String id, Sse sse, MultiEmitter<? super OutboundSseEvent> em, long next, long lastSentAt) {

        Stream at(long index, long sentAt) {
            return new Stream(id, sse, em, index, sentAt);
        }
    }

    private void poll(Stream s) {
        if (s.em().isCancelled()) {
            return;
        }
        long next = s.next();
        long lastSentAt = s.lastSentAt();
        try {
            List<String> events = history.from(s.id(), next);
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
                    job = jobs.find(s.id());
                }
                s.em().emit(s.sse().newEventBuilder()
                        .id(Long.toString(index))
                        .name(EventPayloads.name(e))
                        .mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, Json.write(EventPayloads.data(e, job)))
                        .build());
                lastSentAt = System.currentTimeMillis();
                if (EventHistory.terminal(e.type().id())) {
                    s.em().complete();
                    return;
                }
            }
            if (events.isEmpty() && jobs.find(s.id()).isEmpty()) {
                s.em().complete(); // the job expired or was deleted: nothing more will come
                return;
            }
            long now = System.currentTimeMillis();
            if (now - lastSentAt >= config.keepAlive().toMillis()) {
                // a comment line: EventSource and SSE parsers ignore it, idle-timeout proxies see traffic
                s.em().emit(s.sse().newEventBuilder().comment(KEEP_ALIVE).build());
                lastSentAt = now;
            }
        } catch (RuntimeException e) {
            LOG.debugf("event stream of job %s: %s", s.id(), e.getMessage());
        }
        Stream resumed = s.at(next, lastSentAt);
        if (!s.em().isCancelled()) {
            poller.schedule(() -> poll(resumed), POLL_MS, TimeUnit.MILLISECONDS);
        }
    }
}
