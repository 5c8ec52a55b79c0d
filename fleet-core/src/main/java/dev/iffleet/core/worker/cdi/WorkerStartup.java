package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.edge.EdgeSettings;
import dev.iffleet.core.worker.edge.EdgeStats;
import dev.iffleet.core.worker.edge.Heartbeat;
import dev.iffleet.core.worker.edge.HopWarmup;
import dev.iffleet.core.worker.edge.Replica;
import dev.iffleet.core.worker.edge.StageProducer;
import dev.iffleet.core.worker.edge.WorkerStatus;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs this process's {@link Replica}: brought up on its own thread at start-up, so health endpoints answer (not
 * ready) while the model warms; drained on shutdown (SIGTERM) before anything closes. A replica that cannot reach
 * Kafka or warm its model ends the process, so its orchestrator sees it.
 */
@ApplicationScoped
public class WorkerStartup {

    private static final Logger LOG = Logger.getLogger(WorkerStartup.class);

    @Inject
    StageWorker worker;

    @Inject
    FleetConfig config;

    @Inject
    Config mp;

    @Inject
    Topics topics;

    @Inject
    StageProducer producer;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Inject
    ReplicaMetrics metrics;

    @Inject
    EdgeTracing tracing;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "0")
    int port;

    private volatile Replica replica;
    private volatile Heartbeat heartbeat;

    void onStart(@Observes StartupEvent event) {
        FleetConfig.Worker w = config.worker();
        metrics.bind(worker.stage().id(), w.replica(), config.model().device());
        EdgeSettings settings = new EdgeSettings(topics, worker.stage(), w.replica(), w.maxBatch(), w.maxWait(),
                w.drainTimeout(), KafkaClientConfig.from(mp));
        replica = new Replica(worker, settings, producer, config.kafka().partitions(), tracing,
                new HopWarmup(settings, producer, redis, jobs.keys()), w.warmupHops());
        heartbeat = new Heartbeat(redis, jobs.keys(), worker.stage().id(), w.replica(), this::status);
        Thread t = new Thread(this::bringUp, "warmup-" + worker.stage().id());
        t.setDaemon(true);
        t.start();
    }

    private void bringUp() {
        heartbeat.start();
        try {
            if (!replica.bringUp(config.model().warmup())) {
                Quarkus.asyncExit(1);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s replica cannot start: %s", worker.stage().id(), e.getMessage());
            Quarkus.asyncExit(1);
        }
        heartbeat.beat();
    }

    /** This replica now, for {@code GET /fleet/worker} and the heartbeat. */
    public WorkerStatus status() {
        Replica r = replica;
        EdgeStats s = r == null ? null : r.stats();
        return new WorkerStatus(worker.stage().id(), config.worker().replica(), WorkerStatus.label(worker.state()),
                config.model().device(), config.model().backend(), s == null ? 0 : s.inFlight(),
                config.worker().maxBatch(), s == null ? 0 : s.batches(), s == null ? 0 : s.jobs(),
                s == null ? 0 : s.meanBatch(), s == null ? 0 : s.modelMs(), port,
                ManagementFactory.getRuntimeMXBean().getPid(), System.currentTimeMillis());
    }

    void onStop(@Observes ShutdownEvent event) {
        Replica r = replica;
        if (r == null) {
            return;
        }
        LOG.infof("%s replica %s draining", worker.stage().id(), config.worker().replica());
        worker.drain();
        heartbeat.beat();
        r.drain();
        heartbeat.close();
    }
}
