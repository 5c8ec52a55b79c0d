package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.observe.EdgeTracing;
import dev.iffleet.core.observe.StageMetrics;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.testing.TestJobs;
import dev.iffleet.core.worker.CancelSignals;
import dev.iffleet.core.worker.RetryPolicy;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** One fleet (its own name, so topics, groups and keys are its own) of edge replicas on the shared real Kafka + Redis. */
final class EdgeFixture implements AutoCloseable {

    static final Stage STAGE = Stage.STAGE1;

    final Topics topics;
    final RedisStore redis;
    final JobStore jobs;
    final Map<String, Object> kafka;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<StageProducer> producers = new ArrayList<>();
    private final StageProducer client;

    EdgeFixture() {
        DevStack stack = DevStack.shared();
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics(name);
        this.redis = new RedisStore(stack.redisUri());
        this.jobs = new JobStore(redis, Keys.forFleet(name, java.util.Optional.empty()), Duration.ofMinutes(10));
        this.kafka = Map.of("bootstrap.servers", stack.bootstrapServers());
        this.client = new StageProducer(kafka, topics, name + "-client");
    }

    EchoWorker worker(long msPerBatch, boolean warmAtOnce) {
        return worker(msPerBatch, warmAtOnce, StageMetrics.NONE);
    }

    EchoWorker worker(long msPerBatch, boolean warmAtOnce, StageMetrics metrics) {
        StageProducer p = new StageProducer(kafka, topics, topics.fleet() + "-p" + producers.size());
        producers.add(p);
        StageWorker.Collaborators c = new StageWorker.Collaborators(redis, jobs, p, new RetryPolicy(1, Duration.ZERO),
                Duration.ofMillis(250), "w" + producers.size(), System::currentTimeMillis, CancelSignals.none(),
                "torchscript", metrics);
        return new EchoWorker(STAGE, c, msPerBatch, warmAtOnce);
    }

    /** Brings a replica of {@code worker} up (blocking until it consumes, or until its warm-up fails). */
    Replica replica(EchoWorker worker, String name, int maxBatch) {
        return replica(worker, name, maxBatch, EdgeTracing.NONE);
    }

    Replica replica(EchoWorker worker, String name, int maxBatch, EdgeTracing tracing) {
        StageProducer p = new StageProducer(kafka, topics, topics.fleet() + "-r" + name);
        producers.add(p);
        Replica r = new Replica(worker, new EdgeSettings(topics, STAGE, name, maxBatch, Duration.ofMillis(50),
                Duration.ofSeconds(30), kafka), p, 8, tracing, null, 0);
        replicas.add(r);
        return r;
    }

    /** Creates {@code n} jobs ending after this stage's next and queues them on the stage's topic. */
    List<String> enqueue(int n) {
        return enqueue(n, id -> Map.of());
    }

    /** Like {@link #enqueue(int)}, each record with the headers {@code headers} gives for its job id. */
    List<String> enqueue(int n, java.util.function.Function<String, Map<String, String>> headers) {
        List<String> ids = new ArrayList<>();
        JobParams params = TestJobs.smallJob("a ring", 1024);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            jobs.create(id, params, System.currentTimeMillis());
            client.send(new StageMessage(id, STAGE, 1, Map.of(), params, System.currentTimeMillis()), headers.apply(id));
            ids.add(id);
        }
        return ids;
    }

    /** Job ids of the next stage's messages, read from the start of its topic until {@code n} or the timeout. */
    List<String> handedOn(int n, Duration timeout) {
        return handedOnRecords(n, timeout).stream().map(ConsumerRecord::key).toList();
    }

    /** The next stage's records, read from the start of its topic until {@code n} or the timeout. */
    List<ConsumerRecord<String, String>> handedOnRecords(int n, Duration timeout) {
        Map<String, Object> c = new java.util.HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> ids = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topics.input(Stage.SR)));
            while (ids.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(r);
                }
            }
        }
        return ids;
    }

    static Set<String> distinct(List<String> ids) {
        return new HashSet<>(ids);
    }

    @Override
    public void close() {
        replicas.forEach(Replica::drain);
        producers.forEach(StageProducer::close);
        client.close();
        redis.close();
    }
}
