package dev.iffleet.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DevStackTest {

    @Test
    void sharedStackIsStartedOncePerJvm() throws Exception {
        DevStack stack = DevStack.shared();

        assertSame(stack, DevStack.shared());
        try (Resp redis = new Resp(stack.redis().port())) {
            assertEquals("PONG", redis.call("PING"));
        }
        stack.kafka().createTopics(List.of("shared-" + UUID.randomUUID()), 4);
    }

    @Test
    void closingTheSharedStackLeavesItRunning() {
        DevStack stack = DevStack.shared();

        stack.close();

        assertTrue(Ports.isListening(stack.redis().port()));
        stack.kafka().createTopics(List.of("still-up-" + UUID.randomUUID()), 1);
    }

    @Test
    void testResourcePointsQuarkusAtTheSharedStack() {
        DevStack stack = DevStack.shared();
        FleetTestResource resource = new FleetTestResource();

        Map<String, String> config = resource.start();
        resource.stop();

        assertEquals(Map.of("kafka.bootstrap.servers", stack.bootstrapServers(), "fleet.redis.uri", stack.redisUri()),
                config);
        assertEquals("redis://127.0.0.1:" + stack.redis().port(), stack.redisUri());
    }
}
