package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.queue.TopicSetup;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.WorkerState;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One replica of a stage, brought up in the order that keeps it from taking work it cannot do yet: topics, the
 * producer's metadata, the model's warm-up, a rehearsal of its hops ({@link HopWarmup}), and only then does its
 * consumer join the group (a warming replica holds no partitions); it reports ready once it holds some. {@link #drain} is the way down: stop taking work, finish or hand back, commit, leave.
 */
public final class Replica {

    private static final Logger LOG = Logger.getLogger(Replica.class);
    private static final java.time.Duration JOIN_WAIT = java.time.Duration.ofSeconds(30);

    private final StageWorker worker;
    private final EdgeSettings settings;
    private final StageProducer producer;
    private final int partitions;
    private final HopWarmup hops;
    private final int warmupHops;
    private final EdgeTracing tracing;
    private volatile StageEdge edge;

    /** @param partitions partitions of every topic this replica creates */
    public Replica(StageWorker worker, EdgeSettings settings, StageProducer producer, int partitions) {
        this(worker, settings, producer, partitions, EdgeTracing.NONE, null, 0);
    }

    /**
     * @param tracing the spans of its edge, and the trace context carried from record to record
     * @param hops rehearses {@code warmupHops} hops after the model's warm-up, before the group is joined (null: none)
     */
    public Replica(StageWorker worker, EdgeSettings settings, StageProducer producer, int partitions,
            EdgeTracing tracing, HopWarmup hops, int warmupHops) {
        this.tracing = tracing;
        this.worker = worker;
        this.settings = settings;
        this.producer = producer;
        this.partitions = partitions;
        this.hops = hops;
        this.warmupHops = warmupHops;
    }

    /**
     * Sets topics up, warms the model and joins the group; blocks until the replica consumes or failed.
     *
     * @return false when the worker failed to warm up (the reason is logged); it then never joined the group
     */
    public boolean bringUp(boolean warmup) {
        List<String> writes = topicsWritten(settings, worker.stage());
        TopicSetup.ensure(settings.kafka(), writes, partitions);
        producer.warm(writes);
        worker.start(warmup, settings.maxBatch(), () -> {
            if (hops != null && warmup) {
                hops.run(warmupHops);
            }
            StageEdge e = new StageEdge(worker, settings, producer, tracing);
            edge = e;
            e.start();
            // ready means taking work: a job queued the moment after readiness must not wait out the group's join
            if (!e.awaitAssignment(JOIN_WAIT)) {
                LOG.warnf("%s replica %s holds no partitions after %s (more replicas than partitions?); ready anyway",
                        worker.stage().id(), settings.replica(), JOIN_WAIT);
            }
        });
        if (worker.state() != WorkerState.READY) {
            return false;
        }
        LOG.infof("%s replica %s ready (max batch %d), consuming %s in group %s", worker.stage().id(),
                settings.replica(), settings.maxBatch(), settings.topic(), settings.group());
        return true;
    }

    /** This stage's topics plus every later stage's: a job may skip stages (upscale-only jobs skip two). */
    static List<String> topicsWritten(EdgeSettings s, Stage stage) {
        List<String> t = new ArrayList<>(List.of(s.topic(), s.topics().deadLetter(stage), s.topics().events()));
        for (Stage later : Stage.values()) {
            if (later.compareTo(stage) > 0) {
                t.add(s.topics().input(later));
            }
        }
        return t;
    }

    /** The edge's counters, or null before the replica consumes. */
    public EdgeStats stats() {
        StageEdge e = edge;
        return e == null ? null : e.stats();
    }

    public StageWorker worker() {
        return worker;
    }

    /** Drains the edge (if it runs) and stops the worker. */
    public void drain() {
        worker.drain();
        StageEdge e = edge;
        if (e != null) {
            e.drain();
        }
        worker.stop();
    }
}
