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
 * producer's metadata, the model's warm-up, and only then its consumer joins the group (a warming replica holds no
 * partitions). {@link #drain} is the way down: stop taking work, finish or hand back, commit, leave.
 */
public final class Replica {

    private static final Logger LOG = Logger.getLogger(Replica.class);

    private final StageWorker worker;
    private final EdgeSettings settings;
    private final StageProducer producer;
    private final int partitions;
    private final EdgeTracing tracing;
    private volatile StageEdge edge;

    /** @param partitions partitions of every topic this replica creates */
    public Replica(StageWorker worker, EdgeSettings settings, StageProducer producer, int partitions) {
        this(worker, settings, producer, partitions, EdgeTracing.NONE);
    }

    /** @param tracing the spans of its edge, and the trace context carried from record to record */
    public Replica(StageWorker worker, EdgeSettings settings, StageProducer producer, int partitions,
            EdgeTracing tracing) {
        this.tracing = tracing;
        this.worker = worker;
        this.settings = settings;
        this.producer = producer;
        this.partitions = partitions;
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
        worker.start(warmup, settings.maxBatch());
        if (worker.state() != WorkerState.READY) {
            return false;
        }
        StageEdge e = new StageEdge(worker, settings, producer, tracing);
        e.start();
        edge = e;
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
