package dev.iffleet.gateway.webhook;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.iffleet.gateway.observe.GatewayTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
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

    @Inject
    GatewayTracing tracing;

    @Inject
    MeterRegistry registry;

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
                senders.execute(() -> deliver(id));
            }
        } catch (RuntimeException e) {
            LOG.debugf("webhook poll: %s", e.getMessage());
        }
    }

    /** One attempt, in the job's trace, counted by outcome in {@code iffleet_webhook_deliveries_total}. */
    private void deliver(String id) {
        String jobId = dispatcher.find(id).map(Delivery::jobId).orElse(null);
        Span span = tracing.delivery(jobId == null ? null : GatewayTracing.of(redis, jobs.keys().job(jobId)), id);
        String outcome = "error";
        try (Scope scope = span.makeCurrent()) {
            outcome = dispatcher.deliver(id).outcome();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            LOG.warnf("webhook delivery %s: %s (retried when its lease ends)", id, e.getMessage());
        } finally {
            span.setAttribute("iffleet.outcome", outcome);
            span.end();
            Counter.builder("iffleet_webhook_deliveries").description("Webhook delivery attempts, by outcome")
                    .tag("outcome", outcome).register(registry).increment();
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
