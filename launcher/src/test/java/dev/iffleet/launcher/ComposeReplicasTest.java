package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code ./fleet compose}: docker-compose.yml is its default output, and scaled files pin one GPU per replica. */
class ComposeReplicasTest {

    @Test
    void dockerComposeYmlIsTheGeneratorsDefaultOutput() throws IOException {
        String committed = Files.readString(RepoRoot.find().resolve("docker-compose.yml"));
        assertEquals(ComposeFile.render(Map.of(), Map.of()), committed,
                "docker-compose.yml differs from `./fleet compose`: edit launcher/src/main/resources/compose/ and "
                        + "run ./fleet compose > docker-compose.yml");
    }

    @Test
    void eachReplicaIsItsOwnServiceOnItsOwnGpuWithItsOwnReplicaName() {
        Map<String, Object> services = services(ComposeFile.render(Map.of(Service.STAGE1, 4, Service.SR, 2), Map.of()));
        List<String> stage1 = List.of("stage1-worker", "stage1-worker-1", "stage1-worker-2", "stage1-worker-3");
        Set<String> gpus = new HashSet<>();
        List<String> workers = new ArrayList<>();
        for (String name : services.keySet()) {
            if (name.contains("-worker")) {
                workers.add(name);
                assertTrue(gpus.add(gpu(services, name)), name + ": GPU " + gpu(services, name) + " given twice");
            }
        }
        assertEquals(List.of("encoder-worker", "stage1-worker", "stage1-worker-1", "stage1-worker-2", "stage1-worker-3",
                "sr-worker", "sr-worker-1", "upscaler-worker"), workers);
        assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6", "7"), gpus);
        for (int i = 0; i < stage1.size(); i++) {
            Map<String, Object> env = map(map(services.get(stage1.get(i))).get("environment"));
            assertEquals(String.valueOf(i), env.get("FLEET_WORKER_REPLICA"), stage1.get(i));
            assertEquals("if.stage1", env.get("MP_MESSAGING_INCOMING_IN_TOPIC"), stage1.get(i));
            assertEquals("if.sr", env.get("MP_MESSAGING_OUTGOING_NEXT_TOPIC"), stage1.get(i));
            assertEquals("gpu:0", env.get("FLEET_MODEL_DEVICE"), stage1.get(i) + ": its one card is device 0 inside");
        }
    }

    @Test
    void givenGpusArePinnedAndTheOthersTakeTheFreeOnes() {
        Map<String, Object> services = services(ComposeFile.render(Map.of(Service.STAGE1, 2),
                Map.of(Service.STAGE1, List.of("0", "5"))));
        assertEquals("0", gpu(services, "stage1-worker"));
        assertEquals("5", gpu(services, "stage1-worker-1"));
        assertEquals("1", gpu(services, "encoder-worker"));
        assertEquals("2", gpu(services, "sr-worker"));
        assertEquals("3", gpu(services, "upscaler-worker"));
    }

    @Test
    void aShortOrSharedGpuListIsRefused() {
        IllegalArgumentException shortList = assertThrows(IllegalArgumentException.class,
                () -> ComposeFile.render(Map.of(Service.STAGE1, 3), Map.of(Service.STAGE1, List.of("0", "1"))));
        assertTrue(shortList.getMessage().contains("3 replicas need 3 GPUs"), shortList.getMessage());
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class, () -> ComposeFile.render(Map.of(),
                Map.of(Service.STAGE1, List.of("2"), Service.SR, List.of("2"))));
        assertTrue(shared.getMessage().contains("GPU 2 is given to"), shared.getMessage());
    }

    @Test
    void workersGetTheirDrainTimeoutPlusTenSecondsBeforeSigkill() {
        Map<String, Object> services = services(ComposeFile.render(Map.of(Service.SR, 2), Map.of()));
        for (String name : List.of("encoder-worker", "stage1-worker", "sr-worker", "sr-worker-1", "upscaler-worker")) {
            Map<String, Object> service = map(services.get(name));
            Duration drain = Durations.parse(String.valueOf(map(service.get("environment")).get("FLEET_WORKER_DRAIN_TIMEOUT")));
            Duration grace = Durations.parse(String.valueOf(service.get("stop_grace_period")));
            assertTrue(grace.compareTo(drain.plusSeconds(10)) >= 0, name + ": stop_grace_period " + grace
                    + " must be at least the drain timeout " + drain + " + 10 s");
        }
    }

    private static Map<String, Object> services(String yaml) {
        return map(map(new Yaml().load(yaml)).get("services"));
    }

    private static String gpu(Map<String, Object> services, String name) {
        Object node = services.get(name);
        for (String step : List.of("deploy", "resources", "reservations", "devices")) {
            node = map(node).get(step);
        }
        List<?> devices = assertInstanceOf(List.class, node, name);
        assertEquals(1, devices.size(), name + ": one device reservation");
        List<?> ids = assertInstanceOf(List.class, map(devices.get(0)).get("device_ids"), name);
        assertEquals(1, ids.size(), name + ": one GPU");
        return String.valueOf(ids.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return assertInstanceOf(Map.class, node);
    }
}
