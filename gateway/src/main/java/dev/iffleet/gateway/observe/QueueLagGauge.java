package dev.iffleet.gateway.observe;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.ConsumerLag;
import dev.iffleet.core.queue.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code iffleet_stage_queue_lag{stage}}: each stage group's consumer lag, the figure KEDA scales on. Measured here,
 * not in the workers: one number per stage whatever the replica count (a worker's would repeat per replica, and a
 * stage scaled to zero reports nothing), and the gateway is always up. Refreshed in the background every few seconds,
 * so a scrape never waits on Kafka; NaN until the first reading and while Kafka does not answer.
 */
@ApplicationScoped
public class QueueLagGauge {

    private static final Logger LOG = Logger.getLogger(QueueLagGauge.class);

    @Inject
    MeterRegistry registry;

    @Inject
    FleetConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final Map<Stage, Double> lag = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;
    private Admin admin;

    void start(@Observes StartupEvent ev) {
        for (Stage s : Stage.values()) {
            lag.put(s, Double.NaN);
            Gauge.builder("iffleet_stage_queue_lag", lag, m -> m.get(s)).description(
                    "Records on the stage's topic its consumer group has not committed").tag("stage", s.id())
                    .register(registry);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, new Topics(config.name()).fleet() + "-gateway-lag");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        admin = Admin.create(p);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-lag");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, config.metrics().lagInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            Map<Stage, Long> now = ConsumerLag.of(admin, new Topics(config.name()));
            for (Stage s : Stage.values()) {
                lag.put(s, now.containsKey(s) ? (double) now.get(s) : Double.NaN);
            }
        } catch (Exception e) {
            lag.replaceAll((s, v) -> Double.NaN);
            LOG.debugf("queue lag not read: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (refresher != null) {
            refresher.shutdownNow();
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
