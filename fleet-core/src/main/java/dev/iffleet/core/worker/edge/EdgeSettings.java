package dev.iffleet.core.worker.edge;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How one replica consumes its stage's topic.
 *
 * @param kafka client settings shared with the producer (bootstrap servers, security)
 * @param replica this replica's name within its stage: with the fleet's name, its static group member id
 */
public record EdgeSettings(Topics topics, Stage stage, String replica, int maxBatch, Duration maxWait,
        Duration drainTimeout, Map<String, Object> kafka) {

    public EdgeSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("fleet.worker.max-batch must be at least 1, got " + maxBatch);
        }
        if (maxWait.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("fleet.worker.max-wait and drain-timeout must not be negative");
        }
    }

    public String topic() {
        return topics.input(stage);
    }

    public String group() {
        return topics.group(stage);
    }

    /** The static member id: a replica that restarts within the session timeout gets its partitions back as they were. */
    public String memberId() {
        return topics.fleet() + "-" + stage.id() + "-" + replica;
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group());
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, memberId());
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one record per poll: a replica takes exactly as many jobs as its batch has room for, never a backlog
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // the model runs between polls: allow a long batch on a CPU before the group gives up on this replica
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(15).toMillis());
        // a crashed replica's partitions move on after this; a restart within it keeps them (static membership)
        c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return c;
    }
}
