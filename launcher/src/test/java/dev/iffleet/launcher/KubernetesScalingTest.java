package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.CostProfile;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.worker.edge.EdgeSettings;
import dev.iffleet.launcher.cli.StageCosts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the KEDA ScaledObjects and PodDisruptionBudgets of deploy/k8s/base against the code: topics and groups from
 * {@link Topics}, the lag threshold from the stage's cost per job ({@link StageCosts}) and its target wait, replicas
 * within the partitions.
 */
class KubernetesScalingTest {

    /** The cost profile the thresholds are sized for (one H200 per replica, fp16). */
    static final String PROFILE = "models/profiles/h200-fp16.json";
    static final String TARGET_WAIT = "if-fleet.dev/target-wait";

    private static Path root;
    private static K8sManifests k8s;

    @BeforeAll
    static void parse() {
        root = RepoRoot.find();
        k8s = K8sManifests.base(root);
    }

    static Stream<Service> workers() {
        return KubernetesWiringTest.workers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void eachStageScalesOnItsConsumerGroupsLagOfItsTopic(Service s) {
        Topics topics = new Topics(fleetConfig().getOrDefault("FLEET_NAME", Topics.DEFAULT_NAME));
        Map<String, Object> trigger = trigger(s);
        assertEquals(topics.input(stage(s)), trigger.get("topic"), s + ": trigger topic");
        assertEquals(topics.group(stage(s)), trigger.get("consumerGroup"), s + ": trigger consumerGroup");
        // the worker's edge joins exactly this group
        EdgeSettings edge = new EdgeSettings(topics, stage(s), "0", 1, Duration.ZERO, Duration.ZERO, Map.of());
        assertEquals(edge.group(), trigger.get("consumerGroup"), s + ": the edge's group");
        assertEquals(edge.topic(), trigger.get("topic"), s + ": the edge's topic");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void kedaReadsTheBrokersFromTheWorkersOwnEnvironment(Service s) {
        Map<String, Object> trigger = trigger(s);
        String key = ComposeFileTest.envName("kafka.bootstrap.servers");
        assertEquals(key, trigger.get("bootstrapServersFromEnv"), s + ": bootstrapServersFromEnv");
        assertNull(trigger.get("bootstrapServers"), s + ": a second copy of the brokers could drift from the ConfigMap");
        assertTrue(k8s.env(deployment(s)).containsKey(key), s + ": the target's container has no " + key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void kedaCountsANewGroupsLagAsTheWorkerConsumesIt(Service s) throws ReflectiveOperationException {
        EdgeSettings edge = new EdgeSettings(Topics.DEFAULT, stage(s), "0", 1, Duration.ZERO, Duration.ZERO, Map.of());
        Method config = EdgeSettings.class.getDeclaredMethod("consumerConfig");
        config.setAccessible(true);
        Object reset = ((Map<?, ?>) config.invoke(edge)).get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        assertEquals(reset, trigger(s).get("offsetResetPolicy"), s + ": offsetResetPolicy vs the edge's auto.offset.reset");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void lagThresholdIsTheTargetWaitOverTheStagesModelTimePerJob(Service s) {
        GenericKubernetesResource so = scaledObject(s);
        String target = so.getMetadata().getAnnotations().get(TARGET_WAIT);
        Duration wait = KubernetesWiringTest.duration(target);
        int batch = maxBatch(s);
        CostProfile profile = CostProfile.load(root.resolve(PROFILE));
        double msPerJob = StageCosts.msPerImage(profile, StageCosts.IF_STEPS, StageCosts.IF_GUIDANCE, batch).get(stage(s));
        // a replica with lagThreshold jobs behind it finishes the last of them after about lagThreshold x msPerJob
        long expected = Math.max(1, (long) Math.floor(wait.toMillis() / msPerJob));
        assertEquals(String.valueOf(expected), trigger(s).get("lagThreshold"), String.format(
                "%s: lagThreshold = %d ms / %.1f ms per job (max-batch %d, %s)", s, wait.toMillis(), msPerJob, batch, PROFILE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void replicasStayWithinThePartitionsAndKedaOwnsTheCount(Service s) throws NoSuchMethodException {
        Map<String, Object> spec = spec(scaledObject(s));
        assertEquals(Map.of("name", s.module()), spec.get("scaleTargetRef"), s + ": scaleTargetRef");
        String configured = fleetConfig().get("FLEET_KAFKA_PARTITIONS");
        String fallback = FleetConfig.Kafka.class.getMethod("partitions").getAnnotation(WithDefault.class).value();
        int partitions = Integer.parseInt(configured != null ? configured : fallback);
        int min = ((Number) spec.get("minReplicaCount")).intValue();
        int max = ((Number) spec.get("maxReplicaCount")).intValue();
        assertTrue(1 <= min && min <= max && max <= partitions, s + ": replicas " + min + ".." + max
                + " must lie in 1.." + partitions + " (fleet.kafka.partitions): a replica beyond that owns no partition");
        assertNotEquals("true", trigger(s).get("allowIdleConsumers"), s + ": idle consumers hold a GPU for nothing");
        assertNull(deployment(s).getSpec().getReplicas(), s + ": a replica count in the Deployment fights KEDA's");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void everyServiceHasADisruptionBudgetOverItsPods(Service s) {
        PodDisruptionBudget pdb = k8s.named(PodDisruptionBudget.class, s.module());
        Deployment d = deployment(s);
        assertEquals(d.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels(), s.module());
        if (s.isWorker()) {
            // maxUnavailable, not minAvailable: a stage at one replica must still let a node drain
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), s + ": maxUnavailable");
        } else {
            assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < d.getSpec().getReplicas(),
                    "gateway: minAvailable must leave one replica evictable");
        }
    }

    @Test
    void thereIsOneScaledObjectPerStageAndNoOther() {
        assertEquals(workers().map(Service::module).sorted().toList(),
                k8s.generic("ScaledObject").stream().map(o -> o.getMetadata().getName()).sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workers")
    void scaledObjectsUseOnlyFieldsKedaKnows(Service s) {
        // a ScaledObject parses as a generic resource, so a misspelt field would pass unnoticed (KEDA 2.x spec)
        Set<String> known = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod",
                "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers");
        Set<String> unknown = new TreeSet<>(spec(scaledObject(s)).keySet());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, s + ": ScaledObject spec fields");
        Set<String> metadata = new TreeSet<>(trigger(s).keySet());
        metadata.removeAll(Set.of("bootstrapServers", "bootstrapServersFromEnv", "consumerGroup", "consumerGroupFromEnv",
                "topic", "topicFromEnv", "lagThreshold", "activationLagThreshold", "offsetResetPolicy",
                "allowIdleConsumers", "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag"));
        assertEquals(Set.of(), metadata, s + ": kafka trigger metadata");
    }

    static int maxBatch(Service s) {
        String configured = k8s.env(deployment(s)).get("FLEET_WORKER_MAX_BATCH");
        return Integer.parseInt(configured != null ? configured
                : KubernetesWiringTest.properties(s).getProperty("fleet.worker.max-batch", "1"));
    }

    private static Stage stage(Service s) {
        return Stream.of(Stage.values()).filter(x -> x.id().equals(s.stage())).findFirst().orElseThrow();
    }

    private static Deployment deployment(Service s) {
        return k8s.named(Deployment.class, s.module());
    }

    private static Map<String, String> fleetConfig() {
        return k8s.named(ConfigMap.class, "if-fleet").getData();
    }

    private static GenericKubernetesResource scaledObject(Service s) {
        GenericKubernetesResource so = k8s.generic("ScaledObject", s.module());
        assertEquals("keda.sh/v1alpha1", so.getApiVersion(), s + ": ScaledObject apiVersion");
        return so;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    /** The one trigger, a {@code kafka} one; KEDA reads its metadata values as strings. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(Service s) {
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec(scaledObject(s)).get("triggers");
        assertEquals(1, triggers.size(), s + ": one trigger");
        assertEquals("kafka", triggers.get(0).get("type"), s + ": trigger type");
        Map<String, Object> metadata = (Map<String, Object>) triggers.get(0).get("metadata");
        metadata.forEach((k, v) -> assertTrue(v instanceof String, s + ": trigger metadata " + k + " must be a string"));
        return metadata;
    }
}
