package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.config.FleetConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks deploy/k8s/base against the code: config keys, health paths, ports, GPUs and the drain's grace. */
class KubernetesWiringTest {

    static final String GPU = "nvidia.com/gpu";
    /** After the drain timeout StageEdge waits 10 s for a handed-back batch, then gives Kafka 10 s to leave the group. */
    static final Duration DRAIN_TAIL = Duration.ofSeconds(20);

    private static Path root;
    private static K8sManifests k8s;

    @BeforeAll
    static void parse() {
        root = RepoRoot.find();
        k8s = K8sManifests.base(root);
    }

    static Stream<Service> workers() {
        return Stream.of(Service.values()).filter(Service::isWorker);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void eachServiceIsOneDeploymentOfItsModulesImage(Service s) {
        Container c = K8sManifests.container(deployment(s));
        assertTrue(c.getImage().startsWith("if-fleet/" + s.module() + ":"), s + ": image " + c.getImage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void everyEnvironmentKeyIsAPropertyTheServiceReads(Service s) {
        ComposeFileTest.KnownKeys known = ComposeFileTest.KnownKeys.of(s.module());
        Set<String> unknown = k8s.env(deployment(s)).keySet().stream().filter(k -> !known.accepts(k))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unknown, s.module() + ": keys from its ConfigMaps, Secrets and env that match no key of "
                + "its application.properties or FleetConfig");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void everyServiceGetsKafkaFromTheConfigMapAndRedisFromTheSecret(Service s) {
        Map<String, String> env = k8s.env(deployment(s));
        assertEquals(fleetConfig().get("KAFKA_BOOTSTRAP_SERVERS"), env.get("KAFKA_BOOTSTRAP_SERVERS"), s + ": Kafka");
        assertNotNull(env.get("FLEET_REDIS_URI"), s + ": no FLEET_REDIS_URI");
        // the URI may carry a password: it belongs in a Secret, never in a ConfigMap
        for (ConfigMap cm : k8s.all(ConfigMap.class)) {
            assertNull(cm.getData().get("FLEET_REDIS_URI"), cm.getMetadata().getName() + " holds FLEET_REDIS_URI");
        }
        assertTrue(k8s.all(Secret.class).stream().anyMatch(x -> K8sManifests.secretKeys(x).containsKey("FLEET_REDIS_URI")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void probesAskTheHealthEndpointsOnTheServicesPort(Service s) {
        Container c = K8sManifests.container(deployment(s));
        String port = k8s.env(deployment(s)).getOrDefault("QUARKUS_HTTP_PORT", properties(s).getProperty("quarkus.http.port"));
        assertEquals(1, c.getPorts().size(), s + ": ports");
        assertEquals(Integer.parseInt(port), c.getPorts().get(0).getContainerPort(), s + ": containerPort vs QUARKUS_HTTP_PORT");
        String portName = c.getPorts().get(0).getName();
        assertEquals(healthPath(s, "readiness-path", "ready"), get(c.getReadinessProbe(), s, portName).getPath());
        assertEquals(healthPath(s, "liveness-path", "live"), get(c.getLivenessProbe(), s, portName).getPath());
        if (c.getStartupProbe() != null) {
            assertEquals(healthPath(s, "liveness-path", "live"), get(c.getStartupProbe(), s, portName).getPath());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void eachWorkerReplicaHoldsOneGpuSeenAsDeviceZero(Service s) {
        Container c = K8sManifests.container(deployment(s));
        assertEquals(new Quantity("1"), c.getResources().getLimits().get(GPU), s + ": GPU limit");
        Quantity requested = c.getResources().getRequests().get(GPU);
        assertTrue(requested == null || requested.equals(new Quantity("1")), s + ": a GPU request must equal the limit");
        assertEquals("gpu:0", k8s.env(deployment(s)).get("FLEET_MODEL_DEVICE"), s + ": FLEET_MODEL_DEVICE");
    }

    @Test
    void theGatewayRunsNoModelAndAsksForNoGpu() {
        Container c = K8sManifests.container(deployment(Service.GATEWAY));
        assertNull(c.getResources().getLimits().get(GPU));
        assertNull(c.getResources().getRequests().get(GPU));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void everyPodIsAReplicaOfItsOwnName(Service s) {
        // the static member id <name>-<stage>-<replica> must differ between pods, or Kafka fences one of them
        assertEquals("<fieldRef:metadata.name>", k8s.env(deployment(s)).get("FLEET_WORKER_REPLICA"), s.module());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void terminationGraceCoversTheWorkersDrain(Service s) throws NoSuchMethodException {
        String configured = k8s.env(deployment(s)).get("FLEET_WORKER_DRAIN_TIMEOUT");
        String fallback = FleetConfig.Worker.class.getMethod("drainTimeout").getAnnotation(WithDefault.class).value();
        Duration drain = duration(configured != null ? configured : fallback);
        long grace = deployment(s).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace >= drain.plus(DRAIN_TAIL).toSeconds(), s + ": terminationGracePeriodSeconds " + grace
                + " < drain timeout " + drain + " + " + DRAIN_TAIL + ": Kubernetes would SIGKILL a draining worker");
    }

    @Test
    void theGatewayServiceSendsToTheGatewayPodsHttpPort() {
        io.fabric8.kubernetes.api.model.Service svc = k8s.named(io.fabric8.kubernetes.api.model.Service.class, "gateway");
        Deployment d = deployment(Service.GATEWAY);
        assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        assertTrue(d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(svc.getSpec().getSelector().entrySet()), "the Service's selector must match the pods");
        ServicePort port = svc.getSpec().getPorts().get(0);
        assertEquals(K8sManifests.container(d).getPorts().get(0).getName(), port.getTargetPort().getStrVal());
    }

    private static HTTPGetAction get(Probe probe, Service s, String portName) {
        assertNotNull(probe, s + ": probe missing");
        assertNotNull(probe.getHttpGet(), s + ": probes are HTTP GETs");
        assertEquals(portName, probe.getHttpGet().getPort().getStrVal(), s + ": probes ask the named container port");
        return probe.getHttpGet();
    }

    /** Quarkus' health path: /{non-application root}/{health root}/{ready|live}, each overridable in properties. */
    private static String healthPath(Service s, String key, String fallback) {
        Properties p = properties(s);
        return "/" + p.getProperty("quarkus.http.non-application-root-path", "q").replaceAll("^/|/$", "")
                + "/" + p.getProperty("quarkus.smallrye-health.root-path", "health").replaceAll("^/|/$", "")
                + "/" + p.getProperty("quarkus.smallrye-health." + key, fallback).replaceAll("^/|/$", "");
    }

    static Deployment deployment(Service s) {
        return k8s().named(Deployment.class, s.module());
    }

    static K8sManifests k8s() {
        if (k8s == null) {
            parse();
        }
        return k8s;
    }

    static Map<String, String> fleetConfig() {
        return k8s().named(ConfigMap.class, "if-fleet").getData();
    }

    static Properties properties(Service s) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(RepoRoot.find().resolve(s.module() + "/src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** SmallRye's short duration forms (60s, 2m, 500ms) or ISO-8601, as the launcher reads them. */
    static Duration duration(String value) {
        return Durations.parse(value);
    }
}
