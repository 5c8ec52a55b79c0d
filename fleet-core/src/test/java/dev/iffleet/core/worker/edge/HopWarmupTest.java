package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hop rehearsal against real Kafka and Redis: it runs its rounds and leaves no job, key or group behind. */
class HopWarmupTest {

    private final EdgeFixture f = new EdgeFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void rehearsesEveryHopOnItsOwnTopicAndLeavesNothingBehind() throws Exception {
        StageProducer p = new StageProducer(f.kafka, f.topics, f.topics.fleet() + "-warm");
        EdgeSettings s = new EdgeSettings(f.topics, EdgeFixture.STAGE, "0", 2, Duration.ofMillis(20),
                Duration.ofSeconds(5), f.kafka);
        try (p) {
            assertEquals(25, new HopWarmup(s, p, f.redis, f.jobs.keys()).run(25));
        }
        try (Admin admin = Admin.create(f.kafka)) {
            TopicDescription warm = admin.describeTopics(List.of(f.topics.warmup())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(f.topics.warmup());
            assertEquals(1, warm.partitions().size());
            TopicPartition tp = new TopicPartition(f.topics.warmup(), 0);
            long end = admin.listOffsets(java.util.Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
            assertEquals(25, end, "one record per rehearsed hop");
            Set<String> groups = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).collect(Collectors.toSet());
            assertTrue(groups.stream().noneMatch(g -> g.startsWith(f.topics.fleet())),
                    "the rehearsal joins no consumer group: " + groups);
        }
        assertEquals(List.of(), f.redis.scan(f.jobs.keys().prefix() + "*"), "no key of the fleet is left");
        assertTrue(f.jobs.keys().prefix().startsWith(f.topics.fleet()), "the fleet has a prefix of its own");
    }

    @Test
    void noRoundsMeansNoTopic() throws Exception {
        StageProducer p = new StageProducer(f.kafka, f.topics, f.topics.fleet() + "-warm");
        EdgeSettings s = new EdgeSettings(f.topics, EdgeFixture.STAGE, "0", 2, Duration.ofMillis(20),
                Duration.ofSeconds(5), f.kafka);
        try (p) {
            assertEquals(0, new HopWarmup(s, p, f.redis, f.jobs.keys()).run(0));
        }
        try (Admin admin = Admin.create(f.kafka)) {
            assertTrue(!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(f.topics.warmup()));
        }
    }
}
