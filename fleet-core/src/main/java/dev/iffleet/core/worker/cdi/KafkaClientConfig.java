package dev.iffleet.core.worker.cdi;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The Kafka client settings of a worker: every {@code kafka.*} property (bootstrap servers, security), as Quarkus'
 * Kafka extension reads them, so one place configures the consumer, the producer and the topic set-up.
 */
public final class KafkaClientConfig {

    private KafkaClientConfig() {}

    public static Map<String, Object> from(Config config) {
        Map<String, Object> kafka = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.") && !name.startsWith("kafka.health") && !name.startsWith("kafka.devservices")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> kafka.put(name.substring(6), v));
            }
        }
        return kafka;
    }
}
