package dev.iffleet.gateway.webhook;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The gateway's webhook dispatcher: fed by the events edge, polling Redis for due deliveries off the request path,
 * signing each attempt with the secrets of the job's API key (or the gateway-wide ones).
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Inject
    WebhookConfig config;

    @Inject
    SigningSecrets secrets;

    private WebhookDispatcher dispatcher;
    private ScheduledExecutorService poller;
    private ExecutorService senders;

    void start(@Observes StartupEvent ev) {
        dispatcher();
        if (config.secrets().orElse(List.of()).isEmpty()) {
            LOG.warn("fleet.webhooks.secrets is not set: webhooks of jobs submitted without an API key are sent unsigned");
        }
        senders = Executors.newFixedThreadPool(config.concurrency(), daemon("webhook-sender"));
        poller = Executors.newSingleThreadScheduledExecutor(daemon("webhook-poller"));
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        // an unfinished attempt keeps its lease in Redis and is retried when the lease ends
        if (poller != null) {
            poller.shutdownNow();
            senders.shutdownNow();
        }
    }

    public synchronized WebhookDispatcher dispatcher() {
        if (dispatcher == null) {
            dispatcher = new WebhookDispatcher(redis, jobs.keys(), jobs.ttl(), WebhookSettings.of(config), secrets,
                    Clock.systemUTC());
        }
        return dispatcher;
    }

    /** Schedules the webhook deliveries of an event, if its job wants them. */
    public void enqueue(JobEvent e) {
        dispatcher().enqueue(e);
    }

    private void poll() {
        try {
            for (String id : dispatcher.claimDue(config.concurrency() * 4)) {
                senders.execute(() -> {
                    try {
                        dispatcher.deliver(id);
                    } catch (RuntimeException e) {
                        LOG.warnf("webhook delivery %s: %s (retried when its lease ends)", id, e.getMessage());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.debugf("webhook poll: %s", e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
