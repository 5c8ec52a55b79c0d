package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import dev.iffleet.core.job.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Each stage topic's lag: its end offsets minus what the stage's consumer group has committed, summed over partitions. */
final class KafkaLag {

    private KafkaLag() {}

    /** Lag per stage id; a stage whose topic does not exist is left out. */
    static Map<String, Long> of(String bootstrap, Topics names) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fleet-status");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        Map<String, Long> lag = new HashMap<>();
        try (Admin admin = Admin.create(props)) {
            List<String> topics = java.util.Arrays.stream(Stage.values()).map(names::input).toList();
            java.util.Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> described = admin.describeTopics(
                    topics.stream().filter(existing::contains).toList()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (Stage stage : Stage.values()) {
                TopicDescription d = described.get(names.input(stage));
                if (d == null) {
                    continue;
                }
                List<TopicPartition> parts = d.partitions().stream()
                        .map(p -> new TopicPartition(d.name(), p.partition())).toList();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(
                        parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = admin.listOffsets(
                        parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(names.group(stage))
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long total = 0;
                for (TopicPartition p : parts) {
                    OffsetAndMetadata c = committed.get(p);
                    // nothing committed yet: everything still on the partition is waiting
                    long from = c != null ? c.offset() : start.get(p).offset();
                    total += Math.max(0, end.get(p).offset() - from);
                }
                lag.put(stage.id(), total);
            }
        }
        return lag;
    }
}
