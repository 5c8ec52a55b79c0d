package dev.iffleet.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test application at the JVM-wide {@link DevStack#shared()} Kafka and Redis. */
public class FleetTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        DevStack stack = DevStack.shared();
        return Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "fleet.redis.uri", stack.redisUri());
    }

    @Override
    public void stop() {
        // the shared stack outlives each test application so the next one reuses it; it stops at JVM exit
    }
}
