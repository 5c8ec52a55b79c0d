package dev.iffleet.gateway.events;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.gateway.webhook.WebhookService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code if.events}: keeps each job's latest progress in its record, appends the event to the job's
 * history (for SSE) and hands it to the webhook dispatcher, for every gateway replica.
 */
@ApplicationScoped
public class EventsEdge {

    private static final Logger LOG = Logger.getLogger(EventsEdge.class);
    private static final int RECORD_ATTEMPTS = 3;

    @Inject
    JobStore jobs;

    @Inject
    EventHistory history;

    @Inject
    WebhookService webhooks;

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
        if (e.jobId() == null || e.type() == null) {
            LOG.warnf("ignoring an event without job id or type");
            return;
        }
        if (e.type() == JobEvent.Type.PROGRESS && e.step() != null && e.totalSteps() != null) {
            jobs.progress(e.jobId(), e.stage(), e.step(), e.totalSteps());
        }
        record(e, json);
    }

    /**
     * Appends to the history and schedules webhooks; a throttled progress event goes to neither. A Redis hiccup
     * is retried here, so the consumer neither stops nor silently drops a webhook.
     */
    private void record(JobEvent e, String json) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (history.append(e, json, System.currentTimeMillis()) >= 0) {
                    webhooks.enqueue(e);
                }
                return;
            } catch (RuntimeException failure) {
                if (attempt == RECORD_ATTEMPTS) {
                    LOG.errorf("event %s of job %s not recorded, its webhook not scheduled: %s",
                            e.type().id(), e.jobId(), failure.getMessage());
                    return;
                }
                sleep(200L * attempt);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
