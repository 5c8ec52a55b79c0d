package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/** {@code ./fleet compose --cpu}: docker-compose.cpu.yml is its default output and frees exactly the GPU workers. */
class ComposeCpuOverrideTest {

    /** What Compose's {@code !reset} tag stands for when this test reads a file. */
    private static final Object RESET = new Object();

    @Test
    void dockerComposeCpuYmlIsTheGeneratorsDefaultOutput() throws IOException {
        String committed = Files.readString(RepoRoot.find().resolve("docker-compose.cpu.yml"));
        assertEquals(ComposeCpuOverride.render(Map.of()), committed,
                "docker-compose.cpu.yml differs from `./fleet compose --cpu`: run ./fleet compose --cpu > docker-compose.cpu.yml");
    }

    @Test
    void everyServiceThatReservesAGpuIsResetToTheCpuAndNoOther() {
        for (Map<Service, Integer> replicas : java.util.List.of(Map.<Service, Integer>of(),
                Map.of(Service.STAGE1, 3, Service.UPSCALE, 2))) {
            Map<String, Object> base = services(ComposeFile.render(replicas, Map.of()));
            Map<String, Object> cpu = services(ComposeCpuOverride.render(replicas));
            Set<String> withGpu = new TreeSet<>();
            base.forEach((name, service) -> {
                if (map(service).containsKey("deploy")) {
                    withGpu.add(name);
                }
            });
            assertEquals(withGpu, new TreeSet<>(cpu.keySet()), "services the override must reach, " + replicas);
            for (String name : withGpu) {
                Map<String, Object> override = map(cpu.get(name));
                assertSame(RESET, override.get("deploy"), name + ": deploy must be !reset");
                assertEquals(Map.of("FLEET_MODEL_DEVICE", "cpu"), override.get("environment"), name);
            }
        }
    }

    @Test
    void cpuTakesNoGpuList() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ComposeCommand.run(new String[] {"--cpu", "--gpus", "stage1=1"}, System.out));
    }

    private static Map<String, Object> services(String yaml) {
        LoaderOptions options = new LoaderOptions();
        SafeConstructor constructor = new SafeConstructor(options) {
            {
                yamlConstructors.put(new Tag("!reset"), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return RESET;
                    }
                });
            }
        };
        return map(map(new Yaml(constructor).load(yaml)).get("services"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return assertInstanceOf(Map.class, node);
    }
}
