package dev.iffleet.launcher;

import dev.iffleet.core.queue.ConsumerLag;
import dev.iffleet.core.queue.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Each stage topic's lag for {@code ./fleet status}: the same figure as the gateway's {@code iffleet_stage_queue_lag}. */
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
            ConsumerLag.of(admin, names).forEach((stage, n) -> lag.put(stage.id(), n));
        }
        return lag;
    }
}
