package dev.iffleet.gateway.reaper;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.reaper.Reaper;
import dev.iffleet.core.reaper.StuckJob;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.worker.cdi.KafkaClientConfig;
import dev.iffleet.core.worker.edge.StageProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Runs the fleet's {@link Reaper} in the gateway: the one service every fleet has, already holding Redis and Kafka, and
 * the place {@code ./fleet jobs stuck} asks. Several gateways may each sweep: a job is settled by one of them.
 */
@ApplicationScoped
public class ReaperService {

    private static final Logger LOG = Logger.getLogger(ReaperService.class);

    @Inject
    ReaperConfig config;

    @Inject
    FleetConfig fleet;

    @Inject
    Config mp;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    private StageProducer producer;
    private ConsumerLag lag;
    private Reaper reaper;
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent ev) {
        reaper();
        if (!config.enabled()) {
            LOG.info("fleet.reaper.enabled=false: this gateway re-queues no stuck job");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reaper");
            t.setDaemon(true);
            return t;
        });
        long every = config.every().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The jobs stuck now and why, changing nothing. */
    public List<StuckJob> stuck() {
        return reaper().find(System.currentTimeMillis());
    }

    public ReaperConfig config() {
        return config;
    }

    /** One sweep now: what the timer runs every {@code fleet.reaper.every}. */
    public Reaper.Sweep sweep() {
        Reaper.Sweep s = reaper().sweep(System.currentTimeMillis());
        if (!s.stuck().isEmpty()) {
            LOG.infof("reaper: %d stuck, %d re-queued, %d failed", s.stuck().size(), s.requeued(), s.failed());
        }
        return s;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("reaper sweep failed: %s", e.getMessage());
        }
    }

    private synchronized Reaper reaper() {
        if (reaper == null) {
            Topics topics = new Topics(fleet.name());
            var kafka = KafkaClientConfig.from(mp);
            producer = new StageProducer(kafka, topics, topics.fleet() + "-reaper-"
                    + ManagementFactory.getRuntimeMXBean().getPid());
            lag = new ConsumerLag(kafka, topics);
            reaper = new Reaper(redis, jobs, config.deadlines(), lag::now, producer::send, producer, config.horizon(),
                    config.maxJobs());
        }
        return reaper;
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
        synchronized (this) {
            if (producer != null) {
                producer.close();
                lag.close();
            }
        }
    }
}
