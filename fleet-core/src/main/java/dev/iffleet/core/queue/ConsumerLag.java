package dev.iffleet.core.queue;

import dev.iffleet.core.job.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Each stage's consumer-group lag: its topic's end offsets minus what its group committed, summed over partitions
 * (a partition with nothing committed counts all it still holds). What KEDA scales on, for the gateway's gauge.
 */
public final class ConsumerLag {

    private ConsumerLag() {}

    /** Lag per stage; a stage whose topic does not exist yet is left out. */
    public static Map<Stage, Long> of(Admin admin, Topics names) throws Exception {
        List<String> topics = java.util.Arrays.stream(Stage.values()).map(names::input).toList();
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        Map<String, TopicDescription> described = admin.describeTopics(topics.stream().filter(existing::contains).toList())
                .allTopicNames().get(10, TimeUnit.SECONDS);
        Map<Stage, Long> lag = new HashMap<>();
        for (Stage stage : Stage.values()) {
            TopicDescription d = described.get(names.input(stage));
            if (d == null) {
                continue;
            }
            List<TopicPartition> parts = d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> end = offsets(admin, parts, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> start = offsets(admin, parts, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(names.group(stage))
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long total = 0;
            for (TopicPartition p : parts) {
                OffsetAndMetadata c = committed.get(p);
                long from = c != null ? c.offset() : start.get(p).offset();
                total += Math.max(0, end.get(p).offset() - from);
            }
            lag.put(stage, total);
        }
        return lag;
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> parts,
            OffsetSpec spec) throws Exception {
        return admin.listOffsets(parts.stream().collect(Collectors.toMap(p -> p, p -> spec))).all()
                .get(10, TimeUnit.SECONDS);
    }
}
