package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./fleet status} from heartbeats and lags alone. */
class FleetStatusTest {

    private static final long NOW = 1_733_300_000_000L;
    private static final Topics NAMES = new Topics("demo");

    private static String beat(String stage, String replica, String state, long ageMs, int inFlight) {
        return """
                {"stage":"%s","replica":"%s","state":"%s","device":"gpu:%s","backend":"torchscript","in_flight":%d,
                 "max_batch":8,"batches":10,"jobs":31,"mean_batch":3.1,"model_ms":12345,"port":8082,"pid":1234,
                 "updated_at":%d}""".formatted(stage, replica, state, replica, inFlight, NOW - ageMs);
    }

    @Test
    void replicasAreListedInCascadeOrderWithTheirHeartbeat() {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("sr:0", beat("sr", "0", "draining", 1000, 1));
        hash.put("stage1:10", beat("stage1", "10", "ready", 500, 0));
        hash.put("stage1:2", beat("stage1", "2", "warming", 9000, 0));
        FleetStatus status = FleetStatus.of(NAMES, hash, Map.of("stage1", 7L, "sr", 0L), List.of(), NOW);

        List<FleetStatus.Replica> rows = status.replicas();
        assertEquals(List.of("stage1:2", "stage1:10", "sr:0"), rows.stream().map(r -> r.stage() + ":" + r.replica()).toList());
        FleetStatus.Replica sr = rows.get(2);
        assertEquals("draining", sr.state());
        assertEquals(1, sr.inFlight());
        assertEquals("gpu:0", sr.device());
        assertEquals(10, sr.batches());
        assertEquals(3.1, sr.meanBatch(), 1e-9);
        assertEquals("warming", rows.get(0).state());
    }

    @Test
    void aHeartbeatOlderThanTenSecondsIsGone() {
        Map<String, String> hash = Map.of("encode:0", beat("encode", "0", "ready", 10_001, 3),
                "encode:1", beat("encode", "1", "ready", 10_000, 0));
        FleetStatus status = FleetStatus.of(NAMES, hash, Map.of(), List.of(), NOW);
        assertEquals("gone", status.replicas().get(0).state());
        assertEquals("ready", status.replicas().get(1).state());
        FleetStatus.Stage encode = status.stages().get(0);
        assertEquals(1, encode.replicas(), "a gone replica does not count");
        assertEquals(1, encode.ready());
    }

    @Test
    void stagesCarryTheirTopicGroupAndLagOrUnknown() {
        FleetStatus status = FleetStatus.of(NAMES, Map.of(), Map.of("stage1", 12L), List.of(), NOW);
        assertEquals(List.of("encode", "stage1", "sr", "upscale"), status.stages().stream().map(FleetStatus.Stage::stage).toList());
        FleetStatus.Stage stage1 = status.stages().get(1);
        assertEquals("demo.stage1", stage1.topic());
        assertEquals("demo-stage1", stage1.group());
        assertEquals(12L, stage1.lag());
        assertNull(status.stages().get(0).lag());
        String text = status.render();
        assertTrue(text.contains("(no worker heartbeats)"), text);
        assertTrue(text.matches("(?s).*stage1\\s+demo\\.stage1\\s+demo-stage1\\s+12\\s+0/0 ready.*"), text);
        assertTrue(text.matches("(?s).*encode\\s+demo\\.encode\\s+demo-encode\\s+-\\s.*"), text);
    }

    @Test
    void startedReplicasWithoutAHeartbeatAreShownAsSuch() {
        FleetStatus status = FleetStatus.of(NAMES, Map.of("sr:0", beat("sr", "0", "ready", 0, 0)), Map.of(),
                List.of(FleetStatus.silent("sr", "0", "cpu", 4000, 40), FleetStatus.silent("sr", "1", "gpu:3", 4001, 41)), NOW);
        assertEquals(List.of("ready", "no heartbeat"), status.replicas().stream().map(FleetStatus.Replica::state).toList());
        assertEquals("gpu:0", status.replicas().get(0).device(), "the heartbeat wins over the launcher's record");
        assertTrue(status.render().matches("(?s).*sr\\s+1\\s+no heartbeat\\s+-\\s+gpu:3\\s+-\\s+-\\s+-\\s+-\\s+4001\\s+41\\n.*"),
                status.render());
    }

    @Test
    void anUnreadableHeartbeatIsShownNotFatal() {
        FleetStatus status = FleetStatus.of(NAMES, Map.of("upscale:0", "{not json"), Map.of(), List.of(), NOW);
        assertEquals("unreadable", status.replicas().get(0).state());
        assertEquals("upscale", status.replicas().get(0).stage());
    }

    @Test
    void heartbeatsLiveUnderTheFleetsRedisPrefix() {
        assertEquals("workers", FleetOptions.keys(new Topics("if"), Map.of()).workers());
        assertEquals("demo:workers", FleetOptions.keys(NAMES, Map.of()).workers());
        assertEquals("t1:workers", FleetOptions.keys(NAMES, Map.of("fleet.redis.key-prefix", "t1:")).workers());
    }
}
