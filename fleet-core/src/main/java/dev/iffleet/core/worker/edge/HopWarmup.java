package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.TopicSetup;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.StageStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs a replica's hop code — publish, fetch, message JSON, the admission and completion scripts, an artifact read —
 * a few hundred times before the replica joins its group, so the JIT has compiled it when the first job arrives. A
 * cold JVM takes 10-50x longer per hop (measured here: a 150 ms first hop against 3 ms later ones), and a fleet that
 * serves one job per hop per minute would otherwise stay cold.
 *
 * <p>It uses its own topic ({@code <fleet>.warmup}, one partition, read without a group) and its own Redis keys
 * (under {@code <prefix>warmup:}), so no job, consumer group, queue-time statistic or ETA ever sees it.
 */
public final class HopWarmup {

    private static final Logger LOG = Logger.getLogger(HopWarmup.class);
    private static final Duration FETCH_WAIT = Duration.ofSeconds(5);
    private static final int ARTIFACT_BYTES = 64 * 1024;
    // a slow broker must not hold a replica out of its group for long: the JIT has done most of its work by then
    private static final Duration MAX_TIME = Duration.ofSeconds(3);

    private final EdgeSettings settings;
    private final StageProducer producer;
    private final RedisStore redis;
    private final Keys keys;

    /** @param keys the fleet's key layout; warm-up keys go under its prefix plus {@code warmup:} */
    public HopWarmup(EdgeSettings settings, StageProducer producer, RedisStore redis, Keys keys) {
        this.settings = settings;
        this.producer = producer;
        this.redis = redis;
        this.keys = new Keys(keys.prefix() + "warmup:");
    }

    /**
     * Runs {@code rounds} hops (for at most {@link #MAX_TIME} after the first); a failure is logged and ends the warm-up early (the replica works, only colder).
     *
     * @return the hops run
     */
    public int run(int rounds) {
        if (rounds <= 0) {
            return 0;
        }
        String topic = settings.topics().warmup();
        Stage stage = settings.stage();
        String jobId = stage.id() + "-" + settings.replica();
        StageStore store = new StageStore(redis, keys, Duration.ofMinutes(1));
        String artifact = keys.artifact(jobId, stage, "warmup");
        byte[] payload = new byte[ARTIFACT_BYTES];
        StageMessage msg = StageMessage.first(jobId, new JobParams("warm-up", "", 0, 64, null, null, null), 0);
        long t0 = System.nanoTime();
        int done = 0;
        TopicSetup.ensure(settings.kafka(), List.of(topic), 1);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            long end = Long.MAX_VALUE;
            for (; done < rounds && System.nanoTime() < end; done++) {
                if (done == 1) {
                    // the clock starts after the first (coldest) hop: a loaded machine still gets its rounds
                    end = System.nanoTime() + MAX_TIME.toNanos();
                }
                producer.sendTo(topic, 0, jobId, Json.write(msg));
                StageMessage got = Json.read(next(consumer).value(), StageMessage.class);
                redis.text().hset(keys.job(jobId), "state", "queued");
                StageStore.Admission a = store.admit(got.jobId(), stage, 0, "warmup", System.currentTimeMillis());
                store.complete(got.jobId(), stage, a.token(), Map.of(artifact, payload), "{}", Map.of(stage.id() + ".warmup", "1"),
                        0, false, Duration.ofMinutes(1), System.currentTimeMillis());
                redis.getBytes(artifact);
                redis.unlink(keys.done(jobId, stage));
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s hop warm-up stopped after %d hops: %s", stage.id(), done, e.getMessage());
        } finally {
            redis.unlink(keys.job(jobId), keys.done(jobId, stage), artifact, keys.runTimes(stage));
        }
        LOG.infof("%s hop warm-up: %d hops in %d ms", stage.id(), done, (System.nanoTime() - t0) / 1_000_000);
        return done;
    }

    private static ConsumerRecord<String, String> next(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + FETCH_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(100));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        throw new IllegalStateException("no warm-up record came back within " + FETCH_WAIT);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>(settings.kafka());
        // read with assign(), never a group: the warm-up must not join (or create) any consumer group
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.memberId() + "-warmup");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return c;
    }
}
