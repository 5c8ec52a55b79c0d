package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.config.FleetConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale options of {@code ./fleet up}: replicas, devices, batch sizes, name, config file. */
class FleetArgsTest {

    private static FleetOptions options(String... args) {
        DemoOptions opts = DemoOptions.parse(args);
        return opts.fleet().apply(FleetOptions.builder(Path.of("models/tiny"), Path.of("logs"))).build();
    }

    @Test
    void replicasDevicesNameAndBatchFromTheCommandLine() {
        FleetOptions o = options("up", "--replicas", "stage1=4,sr=2", "--devices", "stage1=gpu:0,gpu:1,gpu:2,gpu:3",
                "--name", "big", "--max-batch", "stage1=8");
        assertEquals(4, o.replicaCount(Service.STAGE1));
        assertEquals(2, o.replicaCount(Service.SR));
        assertEquals(1, o.replicaCount(Service.ENCODE));
        assertEquals(List.of("gpu:0", "gpu:1", "gpu:2", "gpu:3"),
                List.of(o.device(Service.STAGE1, 0), o.device(Service.STAGE1, 1), o.device(Service.STAGE1, 2),
                        o.device(Service.STAGE1, 3)));
        assertEquals("cpu", o.device(Service.SR, 1));
        assertEquals("big", o.extraConfig().get("fleet.name"));
        assertEquals(Map.of("fleet.worker.max-batch", "8"), o.serviceConfig().get(Service.STAGE1));
    }

    @Test
    void aSingleDeviceRepeatsForEveryReplica() {
        FleetOptions o = options("up", "--replicas", "stage1=3", "--devices", "stage1=cpu,sr=gpu:1");
        assertEquals("cpu", o.device(Service.STAGE1, 2));
        assertEquals("gpu:1", o.device(Service.SR, 0));
    }

    @Test
    void aDeviceListShorterThanTheReplicasIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options("up", "--replicas", "stage1=4", "--devices", "stage1=gpu:0,gpu:1"));
        assertEquals("stage1: 4 replicas but only 2 devices [gpu:0, gpu:1] (give one per replica, or a single one for all)",
                e.getMessage());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("up", "--replicas", "stage1=0"))
                .getMessage().contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("up", "--replicas", "stage9=2"))
                .getMessage().contains("unknown stage 'stage9'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("up", "--devices", "sr=cuda:0"))
                .getMessage().contains("cpu or gpu:N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("up", "--replicas", "gateway=2"))
                .getMessage().contains("one gateway"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("up", "--max-batch", "gateway=2"))
                .getMessage().contains("runs no model"));
    }

    @Test
    void aConfigFileSaysTheSameAndLaterFlagsWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("fleet.properties");
        Files.writeString(file, """
                fleet.name=cfg
                fleet.replicas.stage1=2
                fleet.devices.stage1=gpu:0,gpu:1
                fleet.max-batch.sr=4
                fleet.only=gateway,encode,stage1
                fleet.kafka.partitions=12
                stage1.fleet.worker.max-wait=50ms
                """);
        FleetOptions o = options("up", "--config", file.toString(), "--replicas", "stage1=1");
        assertEquals("cfg", o.extraConfig().get("fleet.name"));
        assertEquals("12", o.extraConfig().get("fleet.kafka.partitions"));
        assertEquals(1, o.replicaCount(Service.STAGE1), "the flag after --config wins");
        assertEquals("gpu:0", o.device(Service.STAGE1, 0));
        assertEquals(Map.of("fleet.worker.max-batch", "4"), o.serviceConfig().get(Service.SR));
        assertEquals(Map.of("fleet.worker.max-wait", "50ms"), o.serviceConfig().get(Service.STAGE1));
        assertEquals(EnumSet.of(Service.GATEWAY, Service.ENCODE, Service.STAGE1), o.which());
    }

    @Test
    void theLaunchersPartitionDefaultIsFleetConfigs() throws NoSuchMethodException {
        WithDefault d = FleetConfig.Kafka.class.getMethod("partitions").getAnnotation(WithDefault.class);
        assertEquals(d.value(), String.valueOf(FleetOptions.DEFAULT_PARTITIONS));
        assertEquals(48, Fleet.partitions(Map.of()));
        assertEquals(6, Fleet.partitions(Map.of("fleet.kafka.partitions", "6")));
    }

    @Test
    void topicNamesFollowTheFleetName() {
        assertEquals(List.of("t.encode", "t.encode.dlq", "t.stage1", "t.stage1.dlq", "t.sr", "t.sr.dlq", "t.upscale",
                "t.upscale.dlq", "t.events"), new Topics("t").all());
    }
}
