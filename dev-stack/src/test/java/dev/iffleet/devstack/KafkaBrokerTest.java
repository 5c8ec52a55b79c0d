package dev.iffleet.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

// One broker for the class: starting Kafka takes seconds; the last test closes it.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaBrokerTest {

    @TempDir
    static Path workDir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(workDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @Order(1)
    void consumesBackAProducedRecord() throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 4);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "job-1", "encode a red fox")).get();
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
            assertEquals(1, received.size());
            assertEquals("job-1", received.get(0).key());
            assertEquals("encode a red fox", received.get(0).value());
        }
    }

    @Test
    @Order(2)
    void createTopicsIsIdempotent() throws Exception {
        String topic = "twice-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 2);
        broker.createTopics(List.of(topic, topic + "-other"), 3);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var topics = admin.describeTopics(List.of(topic, topic + "-other")).allTopicNames().get();
            assertEquals(2, topics.get(topic).partitions().size());
            assertEquals(3, topics.get(topic + "-other").partitions().size());
        }
    }

    @Test
    @Order(3)
    void autoCreatedTopicsHaveFourPartitions() throws Exception {
        String topic = "auto-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "v")).get();
            assertEquals(4, producer.partitionsFor(topic).size());
        }
    }

    @Test
    @Order(4)
    void closeStopsTheBroker() {
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        assertTrue(Ports.isListening(port));
        broker.close();
        assertFalse(Ports.isListening(port));
    }
}
