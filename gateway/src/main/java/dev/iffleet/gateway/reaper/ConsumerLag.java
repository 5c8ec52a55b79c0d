package dev.iffleet.gateway.reaper;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Topics;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Each stage's consumer lag (end offsets minus the group's committed offsets), which tells a lost message (no lag, yet
 * the job was never admitted) from a backlog. A stage whose lag cannot be read is left out: unknown.
 */
final class ConsumerLag implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    private final Admin admin;
    private final Topics topics;

    ConsumerLag(Map<String, Object> kafka, Topics topics) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, topics.fleet() + "-reaper-lag");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        this.admin = Admin.create(c);
        this.topics = topics;
    }

    Map<Stage, Long> now() {
        Map<Stage, Long> lag = new EnumMap<>(Stage.class);
        try {
            // the fleet's one lag computation (also behind ./fleet status and the queue-lag gauge)
            lag.putAll(dev.iffleet.core.queue.ConsumerLag.of(admin, topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("lag unknown: %s", e.getMessage());
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
