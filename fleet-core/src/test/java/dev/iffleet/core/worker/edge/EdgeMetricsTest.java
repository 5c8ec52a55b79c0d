package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.observe.MicrometerStageMetrics;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.KafkaProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge's metrics on a real Kafka and Redis: each figure moves by exactly what the jobs did. */
class EdgeMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private EdgeFixture f;
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void fixture() {
        f = new EdgeFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void countsMoveByTheJobsAndBatchesRun() throws Exception {
        EchoWorker w = f.worker(0, true, new MicrometerStageMetrics(registry, "stage1", "0"));
        f.replica(w, "0", 4).bringUp(true);
        CountDownLatch hold = w.holdNextBatch();
        List<String> first = f.enqueue(1);
        Awaitility.await().atMost(WAIT).until(() -> !f.jobs.find(first.get(0)).orElseThrow().state().id().equals("queued"));
        f.enqueue(3);
        hold.countDown();
        assertEquals(4, EdgeFixture.distinct(f.handedOn(4, WAIT)).size());

        int batches = w.batches.size();
        // the publish is timed once Kafka acknowledged it, just after the next stage could read it
        Awaitility.await().atMost(WAIT).until(() -> timer("kafka_publish").tag("topic_kind", "next").timer().count() == 4);
        assertEquals(4, timer("queue_wait").timer().count(), "one queue wait per record taken");
        assertEquals(batches, timer("batch_model").timer().count(), "one per model run");
        assertEquals(4, timer("job_model").timer().count(), "one per job run");
        assertEquals(batches, timer("step_model").timer().count(), "one per run with steps");
        assertEquals(batches, meter("batch_size").summary().count());
        assertEquals(4.0, meter("batch_size").summary().totalAmount(), "jobs over all runs");
        assertEquals(4, timer("redis").tag("script", "admit").timer().count());
        assertEquals(4, timer("redis").tag("script", "complete").timer().count());
        Awaitility.await().atMost(WAIT).until(() -> meter("jobs_in_flight").gauge().value() == 0.0);
        assertEquals(0, registry.find(MicrometerStageMetrics.PREFIX + "failures").counters().size(), "no failures");
        double steps = timer("batch_model").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)
                / EchoWorker.STEPS;
        assertEquals(steps, timer("step_model").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS),
                batches, "step time is run time over the run's steps");
    }

    @Test
    void poisonRecordCountsAsAFailureByCodeAndADeadLetterPublish() {
        EchoWorker w = f.worker(0, true, new MicrometerStageMetrics(registry, "stage1", "0"));
        f.replica(w, "0", 1).bringUp(true);
        try (KafkaProbe kafka = new KafkaProbe(DevStack.shared().bootstrapServers())) {
            kafka.send(f.topics.input(EdgeFixture.STAGE), "poison", "{not json");
        }
        f.enqueue(1);
        assertEquals(1, f.handedOn(1, WAIT).size());

        Awaitility.await().atMost(WAIT).until(() -> timer("kafka_publish").tag("topic_kind", "next").timer().count() == 1);
        assertEquals(1.0, meter("failures").tag("code", "poison").counter().count());
        assertEquals(1, timer("kafka_publish").tag("topic_kind", "dead_letter").timer().count());
        assertEquals(2, timer("queue_wait").timer().count(), "both records were taken");
        assertEquals(1, timer("job_model").timer().count(), "only the job ran");
    }

    private RequiredSearch meter(String name) {
        return registry.get(MicrometerStageMetrics.PREFIX + name).tag("stage", "stage1").tag("replica", "0");
    }

    private RequiredSearch timer(String name) {
        return meter(name);
    }
}
