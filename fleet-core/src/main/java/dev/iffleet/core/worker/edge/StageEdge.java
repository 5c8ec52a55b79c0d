package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.observe.FailureCode;
import dev.iffleet.core.observe.StageMetrics;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.worker.InvalidJobException;
import dev.iffleet.core.worker.Outcome;
import dev.iffleet.core.worker.Pending;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.StageWorker.Delivery;
import java.time.Duration;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The one messaging edge every stage shares: a Kafka consumer that joins its stage's group only once the model is
 * warm, takes records one at a time while the model is free and gathers compatible ones into a batch (up to
 * {@code max-batch} within {@code max-wait}), runs the batch on this thread, and hands completion (PNG encoding, the
 * Redis write, the next message) to a second thread so the model can start the next batch. Offsets are committed up
 * to the first unfinished record; on {@link #drain} the edge stops taking work, finishes (or hands back) what it
 * holds, commits and leaves the group. It reports to the worker's {@link StageMetrics} and carries each job's trace
 * ({@link EdgeTracing}) from its record to the next.
 */
public final class StageEdge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StageEdge.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    // a stage whose last batch had company and ended this recently is busy, and a first record that waited in Kafka
    // means a backlog: then waiting for batch-mates is worth it; an idle stage serving one fresh job starts it at once
    private static final long BUSY_MS = 1000;

    private final StageWorker worker;
    private final EdgeSettings settings;
    private final TracedPublisher publisher;
    private final OffsetLedger ledger = new OffsetLedger();
    private final EdgeStats stats = new EdgeStats();
    private final StageMetrics metrics;
    private final EdgeTracing tracing;
    private final ExecutorService completer;
    // at most two batches between model and Kafka: the model never runs far ahead of completion
    private final Semaphore completing = new Semaphore(2);
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
    private final Thread thread;
    private volatile boolean draining;
    private KafkaConsumer<String, String> consumer;
    private Taken carried;
    private long lastBatchEnd;
    private int lastBatchSize;

    /** A record this replica took, with its parsed message (null for a poison record) and its consume span. */
    record Taken(ConsumerRecord<String, String> record, StageMessage message, Span span) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    public StageEdge(StageWorker worker, EdgeSettings settings, StageProducer producer) {
        this(worker, settings, producer, EdgeTracing.NONE);
    }

    public StageEdge(StageWorker worker, EdgeSettings settings, StageProducer producer, EdgeTracing tracing) {
        this.worker = worker;
        this.settings = settings;
        this.metrics = worker.metrics();
        this.tracing = tracing;
        this.publisher = new TracedPublisher(worker.stage(), settings.topics(), producer, metrics, tracing);
        metrics.inFlight(stats::inFlight);
        this.completer = Executors.newSingleThreadExecutor(r -> new Thread(r, "complete-" + worker.stage().id()));
        this.thread = new Thread(this::loop, "edge-" + worker.stage().id());
    }

    public EdgeStats stats() {
        return stats;
    }

    /** Joins the group and starts consuming: call only once the worker is ready. */
    public void start() {
        consumer = new KafkaConsumer<>(settings.consumerConfig());
        consumer.subscribe(List.of(settings.topic()), new Rebalance(this));
        thread.start();
    }

    private void loop() {
        try {
            while (!draining) {
                commit(false);
                List<Taken> batch = assemble();
                if (!batch.isEmpty()) {
                    runBatch(batch);
                }
            }
        } catch (WakeupException e) {
            // drain() woke the poll: leave below
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s edge stopped: %s", worker.stage().id(), e.getMessage());
        } finally {
            leave();
        }
    }

    /** Takes up to max-batch compatible records; an incompatible one is carried over to start the next batch. */
    private List<Taken> assemble() {
        List<Taken> batch = new ArrayList<>();
        Object key = null;
        if (carried != null) {
            batch.add(carried);
            key = worker.batchKey(carried.message());
            carried = null;
        }
        boolean busy = lastBatchSize > 1 && System.currentTimeMillis() - lastBatchEnd < BUSY_MS;
        long windowEnd = Long.MAX_VALUE;
        if (!batch.isEmpty()) {
            // a carried record waited behind a batch: there is a backlog, worth gathering
            windowEnd = System.nanoTime() + settings.maxWait().toNanos();
        }
        while (batch.size() < settings.maxBatch() && !draining) {
            long waitNanos = batch.isEmpty() ? IDLE_POLL.toNanos() : Math.max(0, windowEnd - System.nanoTime());
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofNanos(waitNanos));
            batch.removeIf(t -> {
                boolean lost = !consumer.assignment().contains(t.partition());
                if (lost) {
                    t.span().end(); // its new owner takes the record on in the same trace
                }
                return lost;
            });
            if (records.isEmpty()) {
                if (batch.isEmpty() || System.nanoTime() >= windowEnd) {
                    return batch;
                }
                continue;
            }
            for (ConsumerRecord<String, String> r : records) {
                Taken t = take(r);
                if (t == null) {
                    continue;
                }
                Object k = worker.batchKey(t.message());
                if (batch.isEmpty()) {
                    batch.add(t);
                    key = k;
                    // a record that waited in Kafka longer than the window means a backlog (its batch-mates may still
                    // be on their way from the broker); a fresh one on an idle stage starts at once
                    boolean waited = System.currentTimeMillis() - r.timestamp() > settings.maxWait().toMillis();
                    windowEnd = System.nanoTime() + (busy || waited ? settings.maxWait().toNanos() : 0);
                } else if (k.equals(key) && batch.size() < settings.maxBatch()) {
                    batch.add(t);
                } else {
                    carried = t;
                    return batch;
                }
            }
        }
        return batch;
    }

    /** Registers a record as taken; a record that is not a message is dead-lettered at once (and null returned). */
    private Taken take(ConsumerRecord<String, String> r) {
        Taken t = new Taken(r, null, null);
        ledger.taken(t.partition(), r.offset());
        metrics.queueWait(System.currentTimeMillis() - r.timestamp());
        StageMessage msg;
        try {
            msg = Json.read(r.value(), StageMessage.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            String reason = "poison message on " + worker.stage().id() + ": " + e.getMessage();
            LOG.warn(reason);
            metrics.failure(FailureCode.POISON);
            publisher.deadLetter(null, r.key(), r.value() == null ? "" : r.value(), reason);
            ledger.done(t.partition(), r.offset());
            return null;
        }
        String jobId = msg == null ? r.key() : msg.jobId();
        return new Taken(r, msg, tracing.consume(worker.stage(), r.topic(), r.headers(), jobId == null ? "" : jobId));
    }

    private void runBatch(List<Taken> batch) {
        List<Delivery> deliveries = new ArrayList<>(batch.size());
        batch.forEach(t -> deliveries.add(new Delivery(t.message(), t.record().timestamp())));
        stats.started(batch.size());
        Span run = tracing.modelRun(worker.stage(), batch.stream().map(Taken::span).toList());
        long t0 = System.nanoTime();
        List<Pending> pending;
        try (Scope scope = run.makeCurrent()) {
            pending = worker.admitAndRun(deliveries);
        } finally {
            run.end();
        }
        long nanos = System.nanoTime() - t0;
        stats.ran(batch.size(), nanos / 1_000_000);
        metrics.modelRun(batch.size(), nanos, pending.stream().mapToInt(Pending::steps).max().orElse(0));
        lastBatchEnd = System.currentTimeMillis();
        lastBatchSize = batch.size();
        completing.acquireUninterruptibly();
        completer.execute(() -> {
            try {
                for (int i = 0; i < batch.size(); i++) {
                    finish(batch.get(i), pending.get(i));
                }
            } finally {
                completing.release();
            }
        });
    }

    private void finish(Taken t, Pending p) {
        try (Scope scope = t.span().makeCurrent()) {
            Outcome o = worker.complete(p);
            if (o instanceof Outcome.HandedBack) {
                return;
            }
            if (o instanceof Outcome.Next n) {
                publisher.next(t.span(), n.message());
            } else if (o instanceof Outcome.Failed f) {
                deadLetter(t, FailureCode.of(f.failure()), f.failure());
            } else if (o instanceof Outcome.Rejected r) {
                deadLetter(t, FailureCode.REJECTED, r.failure());
            }
            ledger.done(t.partition(), t.record().offset());
        } catch (RuntimeException e) {
            // not committed: the record comes back (to this replica or another) and its done marker spares the model
            metrics.failure(FailureCode.INCOMPLETE);
            t.span().setStatus(StatusCode.ERROR, e.getMessage());
            LOG.errorf(e, "job %s: %s could not complete: %s", t.message().jobId(), worker.stage().id(), e.getMessage());
        } finally {
            t.span().end();
            stats.finished();
        }
    }

    private void deadLetter(Taken t, String code, RuntimeException failure) {
        metrics.failure(code);
        t.span().setStatus(StatusCode.ERROR, failure.getMessage());
        publisher.deadLetter(t.span(), t.record().key(), t.record().value(), failure.getMessage());
    }

    /** Commits what is finished; synchronously when leaving or losing partitions, else without waiting. */
    void commit(boolean sync) {
        var offsets = ledger.committable();
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            ledger.committed(offsets);
        } else {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e == null) {
                    ledger.committed(done);
                } else {
                    LOG.debugf("%s commit failed (retried with the next): %s", worker.stage().id(), e.getMessage());
                }
            });
        }
    }

    /** Waits for queued completions to finish, up to {@code timeout}; true when they did. */
    boolean awaitCompletions(Duration timeout) {
        try {
            if (completing.tryAcquire(2, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                completing.release(2);
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    OffsetLedger ledger() {
        return ledger;
    }

    /** The group gave this replica partitions: it takes work from now on. */
    void assigned() {
        assigned.countDown();
    }

    /** Waits until the group first gave this replica partitions, up to {@code timeout}; true when it did. */
    boolean awaitAssignment(Duration timeout) {
        try {
            return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops the carried record when its partition was revoked: its new owner takes it. */
    void revoked(java.util.Collection<TopicPartition> partitions) {
        if (carried != null && partitions.contains(carried.partition())) {
            carried.span().end();
            carried = null;
        }
        ledger.forget(partitions);
    }

    /**
     * Stops taking work and waits for the edge to finish what it holds, commit and leave the group; a batch still
     * running after the drain timeout is handed back (stopped at its next step, its records left uncommitted).
     */
    public void drain() {
        worker.drain();
        draining = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(settings.drainTimeout().toMillis());
            if (thread.isAlive()) {
                LOG.warnf("%s batch still running after %s: handing it back", worker.stage().id(), settings.drainTimeout());
                worker.handBack();
                thread.join(Duration.ofSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void leave() {
        if (!awaitCompletions(settings.drainTimeout())) {
            LOG.warnf("%s completions still running at exit; their records are redelivered", worker.stage().id());
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                commit(true);
                break;
            } catch (WakeupException e) {
                // the drain's wakeup was still pending; it is consumed now, so the second try commits
            } catch (RuntimeException e) {
                LOG.warnf("%s final commit failed: %s", worker.stage().id(), e.getMessage());
                break;
            }
        }
        // leave explicitly: a static member that just closes would hold its partitions until its session times out
        consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
        completer.shutdown();
        LOG.infof("%s edge left group %s (%d batches, %d jobs)", worker.stage().id(), settings.group(),
                stats.batches(), stats.jobs());
    }

    @Override
    public void close() {
        drain();
    }
}
