package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests of one kustomize directory (deploy/k8s/base), each document parsed into fabric8's typed
 * object for its kind (Deployment, ConfigMap, ...; KEDA's ScaledObject, which fabric8 has no type for, as a generic
 * resource), with the environment each container would get from its ConfigMaps and Secrets.
 */
final class K8sManifests {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "ConfigMap", ConfigMap.class, "Secret", Secret.class, "Deployment", Deployment.class,
            "Service", io.fabric8.kubernetes.api.model.Service.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class);

    private final List<HasMetadata> objects;

    private K8sManifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** The base directory; fails unless its kustomization lists exactly the manifests beside it. */
    static K8sManifests base(Path root) {
        Path dir = root.resolve("deploy/k8s/base");
        JsonNode kustomization = readOne(dir.resolve("kustomization.yaml"));
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present;
        try (Stream<Path> files = Files.list(dir)) {
            present = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(present, listed, "deploy/k8s/base/kustomization.yaml must list every manifest of the directory");
        List<HasMetadata> objects = new ArrayList<>();
        for (String file : listed) {
            for (JsonNode doc : readAll(dir.resolve(file))) {
                objects.add(typed(doc, file));
            }
        }
        return new K8sManifests(objects);
    }

    /** A document as the typed object of its kind; its apiVersion must be the one that type is served under. */
    static HasMetadata typed(JsonNode doc, String where) {
        String kind = doc.path("kind").asText();
        Class<? extends HasMetadata> type = TYPES.getOrDefault(kind, GenericKubernetesResource.class);
        try {
            HasMetadata object = YAML.treeToValue(doc, type);
            if (type != GenericKubernetesResource.class) {
                assertEquals(HasMetadata.getApiVersion(type), object.getApiVersion(), where + ": apiVersion of " + kind);
                assertNoUnknownFields(object, where + ": " + kind);
            }
            assertNotNull(object.getMetadata(), where + ": " + kind + " without metadata");
            return object;
        } catch (IOException e) {
            throw new AssertionError(where + ": not a valid " + kind + ": " + e.getMessage(), e);
        }
    }

    /**
     * fabric8's model keeps a field it does not know in {@code additionalProperties} instead of failing: a misspelt
     * {@code terminationGracePeriodSecond} would parse, and the API server would drop it. Every such field fails here.
     */
    static void assertNoUnknownFields(Object node, String where) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertNoUnknownFields(list.get(i), where + "[" + i + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertNoUnknownFields(v, where + "." + k));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (java.lang.reflect.Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(where + ": " + m.getName() + ": " + e, e);
            }
            if (m.getName().equals("getAdditionalProperties")) {
                assertTrue(value == null || ((Map<?, ?>) value).isEmpty(), where + ": unknown fields " + value);
            } else {
                String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                assertNoUnknownFields(value, where + "." + field);
            }
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Objects of a generic kind, e.g. KEDA's {@code ScaledObject}. */
    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "expected one " + type.getSimpleName() + " named " + name + ", found " + found.size());
        return found.get(0);
    }

    GenericKubernetesResource generic(String kind, String name) {
        List<GenericKubernetesResource> found =
                generic(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "expected one " + kind + " named " + name + ", found " + found.size());
        return found.get(0);
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), d.getMetadata().getName() + ": one container per pod");
        return containers.get(0);
    }

    /**
     * The environment of a Deployment's container: its ConfigMaps' and Secrets' keys (a required one must be among
     * the manifests), then its own entries, which win; a value from the downward API reads {@code <fieldRef:PATH>}.
     */
    Map<String, String> env(Deployment d) {
        Container c = container(d);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional()) || exists(ConfigMap.class, name)) {
                    env.putAll(named(ConfigMap.class, name).getData());
                }
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                if (!Boolean.TRUE.equals(from.getSecretRef().getOptional()) || exists(Secret.class, name)) {
                    env.putAll(secretKeys(named(Secret.class, name)));
                }
            }
            assertTrue(from.getPrefix() == null, d.getMetadata().getName() + ": envFrom prefixes would rename keys");
        }
        for (EnvVar v : c.getEnv()) {
            String value = v.getValue();
            if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                value = "<fieldRef:" + v.getValueFrom().getFieldRef().getFieldPath() + ">";
            }
            env.put(v.getName(), value);
        }
        return env;
    }

    static Map<String, String> secretKeys(Secret s) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().keySet().forEach(k -> keys.put(k, "<secret>"));
        }
        if (s.getStringData() != null) {
            keys.putAll(s.getStringData());
        }
        return keys;
    }

    private boolean exists(Class<? extends HasMetadata> type, String name) {
        return all(type).stream().anyMatch(o -> name.equals(o.getMetadata().getName()));
    }

    static JsonNode readOne(Path file) {
        List<JsonNode> docs = readAll(file);
        assertEquals(1, docs.size(), file + ": one document");
        return docs.get(0);
    }

    static List<JsonNode> readAll(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
