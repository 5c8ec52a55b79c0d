package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** Checks docker-compose.yml and the Dockerfiles against the code, since no Docker engine here can run them. */
class ComposeFileTest {

    private static final String GATEWAY = "gateway";
    /** Each worker module and the stage it serves. */
    private static final Map<String, Stage> WORKERS = Map.of(
            "encoder-worker", Stage.ENCODE, "stage1-worker", Stage.STAGE1,
            "sr-worker", Stage.SR, "upscaler-worker", Stage.UPSCALE);

    /** Keys no application.properties declares that Quarkus, the JVM launch line or DJL still read. */
    private static final Set<String> GENERIC_KEYS =
            Set.of("kafka.bootstrap.servers", "quarkus.http.port", "JAVA_OPTS", "DJL_OFFLINE", "RUST_FLAVOR");

    private static Path root;
    private static Map<String, Object> services;

    @BeforeAll
    static void parseComposeFile() throws IOException {
        root = RepoRoot.find();
        try (Reader in = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = map(new Yaml().load(in), "docker-compose.yml");
            services = map(compose.get("services"), "services");
        }
    }

    static Stream<String> serviceModules() {
        return Stream.concat(Stream.of(GATEWAY), workerModules());
    }

    static Stream<String> workerModules() {
        return WORKERS.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    @Test
    void declaresEveryServiceModuleKafkaAndRedis() {
        Set<String> missing = Stream.concat(serviceModules(), Stream.of("kafka", "kafka-init", "redis"))
                .filter(name -> !services.containsKey(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "services missing from docker-compose.yml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceModules")
    void eachServiceIsBuiltFromItsModulesDockerfile(String module) throws IOException {
        Map<String, Object> build = map(service(module).get("build"), module + ".build");
        Path context = root.resolve(String.valueOf(build.get("context"))).normalize();
        assertEquals(root.resolve(module), context, module + ": build.context");
        Path dockerfile = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")));
        assertTrue(Files.isRegularFile(dockerfile), module + ": no " + root.relativize(dockerfile));
        String text = Files.readString(dockerfile);
        assertTrue(text.contains("EXPOSE " + port(module)), module + ": Dockerfile must EXPOSE " + port(module));
        assertTrue(text.contains("/deployments/quarkus-run.jar"), module + ": Dockerfile must run quarkus-run.jar");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceModules")
    void everyEnvironmentVariableIsAPropertyTheModuleKnows(String module) {
        KnownKeys known = KnownKeys.of(module);
        Set<String> unknown = env(module).keySet().stream()
                .filter(name -> !known.accepts(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unknown, module + ": environment variables that match no key of " + module
                + "/src/main/resources/application.properties, of FleetConfig or of " + GENERIC_KEYS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceModules")
    void everyServiceUsesTheSharedKafkaAndRedisAndReportsReadiness(String module) {
        Map<String, String> env = env(module);
        assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), module + ": KAFKA_BOOTSTRAP_SERVERS");
        assertEquals("redis://redis:6379", env.get("FLEET_REDIS_URI"), module + ": FLEET_REDIS_URI");
        Object check = map(service(module).get("healthcheck"), module + ".healthcheck").get("test");
        assertTrue(String.valueOf(check).contains("localhost:" + port(module) + "/q/health/ready"),
                module + ": healthcheck must probe /q/health/ready on port " + port(module) + ", is " + check);
        Map<String, Object> dependsOn = map(service(module).get("depends_on"), module + ".depends_on");
        assertEquals("service_completed_successfully",
                map(dependsOn.get("kafka-init"), module + ".depends_on.kafka-init").get("condition"),
                module + ": must wait until kafka-init has created the topics");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workerModules")
    void workersTakeTheirTopicsFromTheFleetName(String module) {
        // a worker's edge derives its topics and group from fleet.name (fleet-core Topics): nothing to wire per service
        Map<String, String> env = env(module);
        assertEquals(Topics.DEFAULT_NAME, env.getOrDefault("FLEET_NAME", Topics.DEFAULT_NAME), module + ": FLEET_NAME");
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("MP_MESSAGING_")),
                module + ": workers have no SmallRye channels to configure: " + env.keySet());
    }

    @Test
    void gatewaySendsToTheEncoderAndListensToEventsOfItsFleet() {
        // the gateway's channels name their topics and group after fleet.name, as the workers' Topics do
        Properties p = properties(GATEWAY);
        String name = env(GATEWAY).getOrDefault("FLEET_NAME", Topics.DEFAULT_NAME);
        Topics topics = new Topics(name);
        assertEquals(topics.input(Stage.ENCODE), resolveFleetName(p.getProperty("mp.messaging.outgoing.encode.topic"), name));
        assertEquals(topics.events(), resolveFleetName(p.getProperty("mp.messaging.incoming.job-events.topic"), name));
        assertEquals(name + "-gateway", resolveFleetName(p.getProperty("mp.messaging.incoming.job-events.group.id"), name));
        assertTrue(env(GATEWAY).keySet().stream().noneMatch(k -> k.startsWith("MP_MESSAGING_")),
                "gateway: topics come from FLEET_NAME, not per-channel overrides");
    }

    private static String resolveFleetName(String value, String name) {
        return value == null ? null : value.replace("${fleet.name:if}", name);
    }

    @Test
    void kafkaInitCreatesExactlyTheFleetTopicsWithFleetKafkaPartitions() {
        List<String> created = List.of(env("kafka-init").getOrDefault("TOPICS", "").trim().split("\\s+"));
        assertEquals(new TreeSet<>(Topics.DEFAULT.all()), new TreeSet<>(created), "kafka-init: TOPICS");
        assertEquals(Topics.DEFAULT.all().size(), created.size(), "kafka-init: TOPICS lists a topic twice: " + created);
        String script = String.valueOf(service("kafka-init").get("command"));
        assertTrue(script.contains("in $$TOPICS"), "kafka-init: command must loop over $$TOPICS: " + script);
        String partitions = String.valueOf(FleetOptions.DEFAULT_PARTITIONS); // FleetConfig's fleet.kafka.partitions
        assertTrue(script.contains("--partitions " + partitions), "kafka-init: command must create " + partitions
                + " partitions: " + script);
        assertEquals(partitions, env("kafka").get("KAFKA_NUM_PARTITIONS"), "kafka: KAFKA_NUM_PARTITIONS");
    }

    @Test
    void eachWorkerIsPinnedToItsOwnGpuAndNoOtherServiceReservesAny() {
        java.util.Set<Object> cards = new java.util.HashSet<>();
        for (String name : services.keySet()) {
            List<?> devices = gpuReservations(name);
            if (!WORKERS.containsKey(name)) {
                assertEquals(List.of(), devices, name + ": must reserve no device");
                continue;
            }
            assertEquals(1, devices.size(), name + ": device reservations " + devices);
            Map<String, Object> gpu = map(devices.get(0), name + ": device reservation");
            assertEquals("nvidia", gpu.get("driver"), name + ": device driver");
            List<?> ids = assertInstanceOf(List.class, gpu.get("device_ids"), name + ": device_ids must be a list");
            assertEquals(1, ids.size(), name + ": exactly one GPU, got " + ids);
            assertTrue(cards.add(ids.get(0)), name + ": GPU " + ids.get(0) + " is already reserved by another worker");
            assertEquals(List.of("gpu"), gpu.get("capabilities"), name + ": device capabilities");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workerModules")
    void workersServeTheMountedShapesPackInFloat32OnTheirGpu(String module) {
        Map<String, String> env = env(module);
        assertEquals("gpu:0", env.get("FLEET_MODEL_DEVICE"), module + ": FLEET_MODEL_DEVICE");
        assertEquals("float32", env.get("FLEET_MODEL_DTYPE"), module + ": FLEET_MODEL_DTYPE");
        assertEquals("/models/shapes", env.get("FLEET_PACK_DIR"), module + ": FLEET_PACK_DIR");
        assertEquals(List.of("./models:/models:ro"), service(module).get("volumes"), module + ": volumes");
        assertTrue(Files.isRegularFile(root.resolve("models/shapes/pack.json")), "models/shapes/pack.json is missing");
    }

    @Test
    void redisAppendsEveryWriteToItsLog() {
        List<?> command = assertInstanceOf(List.class, service("redis").get("command"), "redis: command");
        int flag = command.indexOf("--appendonly");
        assertTrue(flag >= 0 && "yes".equals(command.get(flag + 1)), "redis: no --appendonly yes in " + command);
    }

    @Test
    void envNameFollowsSmallRyesRule() {
        assertEquals("MP_MESSAGING_INCOMING_JOB_EVENTS_TOPIC", envName("mp.messaging.incoming.job-events.topic"));
        assertEquals("FLEET_REDIS_KEY_PREFIX", envName("fleet.redis.key-prefix"));
    }

    @Test
    void fleetKeysAreTheLeavesOfTheConfigMapping() {
        Set<String> keys = fleetKeys();
        assertTrue(keys.containsAll(Set.of("fleet.redis.uri", "fleet.redis.key-prefix", "fleet.model.device",
                "fleet.pack.dir", "fleet.retry.max-attempts")), keys.toString());
        assertFalse(keys.contains("fleet.redis"), "a group is not a key: " + keys);
    }

    @Test
    void misspelledKeysAndForeignChannelsAreRejected() {
        KnownKeys gateway = KnownKeys.of(GATEWAY);
        assertTrue(gateway.accepts("FLEET_REDIS_URI"));
        assertFalse(gateway.accepts("FLEET_REDIS_URL"));
        assertFalse(gateway.accepts("MP_MESSAGING_INCOMING_IN_TOPIC"), "the gateway has no channel 'in'");
        assertFalse(KnownKeys.of("upscaler-worker").accepts("MP_MESSAGING_OUTGOING_NEXT_TOPIC"),
                "the last stage has no channel 'next'");
    }

    /** The env names a module reads: its application.properties, FleetConfig and the generic keys. */
    record KnownKeys(Set<String> envNames) {

        static KnownKeys of(String module) {
            Stream<String> own = properties(module).stringPropertyNames().stream()
                    .filter(key -> !key.startsWith("%")); // profile-only keys do not apply in a container
            Set<String> names = Stream.of(own, fleetKeys().stream(), GENERIC_KEYS.stream())
                    .flatMap(s -> s)
                    .map(ComposeFileTest::envName)
                    .collect(Collectors.toSet());
            return new KnownKeys(names);
        }

        boolean accepts(String envVariable) {
            return envNames.contains(envName(envVariable));
        }
    }

    /** SmallRye's env form of a property: uppercase, every character other than a letter or digit becomes '_'. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Every leaf key of {@link FleetConfig}, named as SmallRye names them (kebab-case, or {@code @WithName}). */
    static Set<String> fleetKeys() {
        Set<String> keys = new TreeSet<>();
        collectKeys(FleetConfig.class, FleetConfig.class.getAnnotation(ConfigMapping.class).prefix(), keys);
        return keys;
    }

    private static void collectKeys(Class<?> group, String prefix, Set<String> keys) {
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type == Optional.class && m.getGenericReturnType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
                type = inner;
            }
            if (type.isInterface() && !type.getName().startsWith("java.")) {
                collectKeys(type, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String methodName) {
        return methodName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Compose and application.properties both set the channel's topic to {@code expected}; null: no such channel. */
    private static String port(String module) {
        return env(module).getOrDefault("QUARKUS_HTTP_PORT", properties(module).getProperty("quarkus.http.port"));
    }

    private static Properties properties(String module) {
        Properties p = new Properties();
        // KnownKeys serves the Kubernetes tests too, which never parse the compose file
        Path repo = root != null ? root : RepoRoot.find();
        try (Reader in = Files.newBufferedReader(repo.resolve(module + "/src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name), "service '" + name + "' of docker-compose.yml");
    }

    /** A service's environment; the mapping form, which the file's anchors need to merge. */
    private static Map<String, String> env(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(name).getOrDefault("environment", Map.of()), name + ".environment")
                .forEach((k, v) -> env.put(k, Objects.toString(v, "")));
        return env;
    }

    private static List<?> gpuReservations(String name) {
        Object node = service(name);
        for (String step : List.of("deploy", "resources", "reservations", "devices")) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(step)) {
                return List.of();
            }
            node = m.get(step);
        }
        return assertInstanceOf(List.class, node, name + ": devices must be a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        return assertInstanceOf(Map.class, node, what + " must be a mapping");
    }
}
