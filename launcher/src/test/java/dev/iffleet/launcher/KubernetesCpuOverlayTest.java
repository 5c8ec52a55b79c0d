package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Applies deploy/k8s/overlays/cpu to the base as kustomize would (its ConfigMap patch merged, its JSON patches' removes
 * applied to the Deployments they target) and checks the workers then run on the CPU and ask for no GPU.
 */
class KubernetesCpuOverlayTest {

    private final Path root = RepoRoot.find();
    private final Path overlay = root.resolve("deploy/k8s/overlays/cpu");
    private final K8sManifests base = K8sManifests.base(root);

    @Test
    void workersRunOnTheCpuAndAskForNoGpu() throws IOException {
        JsonNode kustomization = K8sManifests.readOne(overlay.resolve("kustomization.yaml"));
        assertEquals("../../base", kustomization.path("resources").path(0).asText(), "the overlay builds on the base");
        Map<String, String> workerConfig = new HashMap<>(base.named(ConfigMap.class, "if-fleet-worker").getData());
        List<Deployment> patched = new ArrayList<>();
        for (JsonNode patch : kustomization.path("patches")) {
            if (patch.has("path")) {
                HasMetadata object = K8sManifests.typed(K8sManifests.readOne(overlay.resolve(patch.path("path").asText())),
                        patch.path("path").asText());
                assertTrue(object instanceof ConfigMap, "a file patch of the overlay is a ConfigMap: " + object.getKind());
                assertEquals("if-fleet-worker", object.getMetadata().getName());
                workerConfig.putAll(((ConfigMap) object).getData());
            } else {
                patched.addAll(applyJsonPatch(patch));
            }
        }
        assertEquals("cpu", workerConfig.get("FLEET_MODEL_DEVICE"));
        ComposeFileTest.KnownKeys known = ComposeFileTest.KnownKeys.of(Service.STAGE1.module());
        workerConfig.keySet().forEach(k -> assertTrue(known.accepts(k), "unknown worker key " + k));
        List<String> names = patched.stream().map(d -> d.getMetadata().getName()).sorted().toList();
        assertEquals(KubernetesWiringTest.workers().map(Service::module).sorted().toList(), names,
                "the JSON patches must reach exactly the four workers");
        for (Deployment d : patched) {
            var resources = K8sManifests.container(d).getResources();
            assertFalse(resources.getLimits().containsKey(KubernetesWiringTest.GPU), d.getMetadata().getName());
            var tolerations = d.getSpec().getTemplate().getSpec().getTolerations();
            assertTrue(tolerations == null || tolerations.isEmpty(), d.getMetadata().getName() + ": GPU tolerations left");
        }
    }

    /** The Deployments a target selects, with the patch's {@code remove} ops applied; a path that is not there fails. */
    private List<Deployment> applyJsonPatch(JsonNode patch) throws IOException {
        JsonNode target = patch.path("target");
        assertEquals("Deployment", target.path("kind").asText(), "JSON patches target Deployments");
        String[] label = target.path("labelSelector").asText().split("=", 2);
        ArrayNode ops = (ArrayNode) K8sManifests.YAML.readTree(patch.path("patch").asText());
        List<Deployment> out = new ArrayList<>();
        for (Deployment d : base.all(Deployment.class)) {
            if (!label[1].equals(d.getMetadata().getLabels().get(label[0]))) {
                continue;
            }
            JsonNode tree = K8sManifests.YAML.valueToTree(d);
            for (JsonNode op : ops) {
                assertEquals("remove", op.path("op").asText(), "only remove ops are applied here");
                JsonPointer path = JsonPointer.compile(op.path("path").asText());
                JsonNode parent = tree.at(path.head());
                String leaf = path.last().getMatchingProperty();
                assertTrue(parent instanceof ObjectNode o && o.has(leaf),
                        d.getMetadata().getName() + ": the overlay removes " + path + ", which the base lacks");
                ((ObjectNode) parent).remove(leaf);
            }
            out.add(K8sManifests.YAML.treeToValue(tree, Deployment.class));
        }
        return out;
    }
}
