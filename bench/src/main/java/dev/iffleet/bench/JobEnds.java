package dev.iffleet.bench;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Tells the bench's clients the moment a job ends, from the fleet's events topic (as a webhook or SSE client would
 * hear it), instead of each client polling Redis: polling delays the next submit by up to its interval and, with 32
 * clients on two cores, costs the fleet CPU it is being measured on. Redis is still asked every half second, in case
 * an event was missed.
 */
final class JobEnds implements AutoCloseable {

    private static final long RECHECK_MS = 500;

    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final RedisStore redis;
    private final Thread thread;
    private volatile boolean closed;

    JobEnds(String bootstrap, String eventsTopic, RedisStore redis) {
        this.redis = redis;
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", false, "key.deserializer", StringDeserializer.class,
                "value.deserializer", StringDeserializer.class));
        List<TopicPartition> parts = consumer.partitionsFor(eventsTopic).stream()
                .map(p -> new TopicPartition(eventsTopic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        this.thread = new Thread(() -> listen(consumer), "job-ends");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen(KafkaConsumer<String, String> consumer) {
        try (consumer) {
            while (!closed) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JobEvent e = Json.read(r.value(), JobEvent.class);
                    if (e.type() == JobEvent.Type.SUCCEEDED || e.type() == JobEvent.Type.FAILED
                            || e.type() == JobEvent.Type.CANCELED) {
                        synchronized (this) {
                            ended.add(e.jobId());
                            notifyAll();
                        }
                    }
                }
            }
        }
    }

    /** Waits until job {@code id} ended (an event said so, or its record does), or throws at the deadline. */
    void await(String id, long deadlineNanos) throws InterruptedException {
        long recheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MS);
        synchronized (this) {
            while (!ended.remove(id)) {
                long now = System.nanoTime();
                if (now >= recheck) {
                    String s = redis.text().hget("job:" + id, "state");
                    if ("succeeded".equals(s) || "failed".equals(s) || "canceled".equals(s)) {
                        return;
                    }
                    recheck = now + TimeUnit.MILLISECONDS.toNanos(RECHECK_MS);
                }
                if (now > deadlineNanos) {
                    throw new IllegalStateException("job " + id + " did not end by the bench's deadline");
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(recheck, deadlineNanos) - now)));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
    }
}
