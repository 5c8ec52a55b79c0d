package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.worker.EventSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * A worker's one Kafka producer: next-stage messages (spread round-robin over the partitions, so every replica of the
 * next stage gets an equal share whatever the job ids hash to), dead letters, and job events (keyed by job id, so one
 * job's events stay in order). Sends leave at once ({@code linger.ms=0}): a hop must not wait for a batch to fill.
 */
public final class StageProducer implements EventSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StageProducer.class);
    private static final Duration SEND_WAIT = Duration.ofSeconds(60);

    private final KafkaProducer<String, String> producer;
    private final Topics topics;
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    // a random start, so producers that start together do not all begin with partition 0
    private final AtomicInteger turn = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    public StageProducer(Map<String, Object> kafka, Topics topics, String clientId) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(p);
        this.topics = topics;
    }

    /** Fetches metadata of every topic this worker writes, before it reports ready: the first job pays nothing. */
    public void warm(Collection<String> topicNames) {
        for (String t : topicNames) {
            partitions.put(t, producer.partitionsFor(t).size());
        }
    }

    /** Publishes a next-stage message and waits until Kafka has it (acks=all): only then is the input committed. */
    public void send(StageMessage msg) {
        send(msg, Map.of());
    }

    /** Like {@link #send(StageMessage)}, with headers on the record (the job's trace context). */
    public void send(StageMessage msg, Map<String, String> headers) {
        String topic = topics.input(msg.stage());
        int n = partitions.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
        int partition = Math.floorMod(turn.getAndIncrement(), n);
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, partition, msg.jobId(), Json.write(msg));
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        await(producer.send(r), topic);
    }

    /** Publishes one record to a given partition and waits until Kafka has it (acks=all). */
    void sendTo(String topic, int partition, String key, String value) {
        await(producer.send(new ProducerRecord<>(topic, partition, key, value)), topic);
    }

    /** Sends an unusable or failed record to the stage's dead-letter topic with the reason in a header. */
    public void deadLetter(Stage stage, String key, String value, String reason) {
        deadLetter(stage, key, value, reason, Map.of());
    }

    /** Like {@link #deadLetter(Stage, String, String, String)}, with headers (the job's trace context). */
    public void deadLetter(Stage stage, String key, String value, String reason, Map<String, String> headers) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topics.deadLetter(stage), key, value);
        r.headers().add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        await(producer.send(r), topics.deadLetter(stage));
    }

    /** Events are informative (the job record is the truth): sent without waiting, a failure is only logged. */
    @Override
    public void publish(JobEvent event) {
        producer.send(new ProducerRecord<>(topics.events(), event.jobId(), Json.write(event)), (md, e) -> {
            if (e != null) {
                LOG.warnf("event %s of job %s not sent: %s", event.type(), event.jobId(), e.getMessage());
            }
        });
    }

    private static void await(java.util.concurrent.Future<?> sent, String topic) {
        try {
            sent.get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
