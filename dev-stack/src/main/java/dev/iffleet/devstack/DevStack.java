package dev.iffleet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/** A Kafka broker and a Redis server started together, for the fleet launcher and for tests. */
public final class DevStack implements AutoCloseable {

    // A string literal is interned JVM-wide, so this lock (and the system properties below) is
    // shared by every class loader that loads DevStack: Quarkus starts one per test application.
    private static final String SHARED_LOCK = "dev.iffleet.devstack.DevStack.shared";
    private static final String SHARED_KAFKA = "dev.iffleet.devstack.shared.kafka";
    private static final String SHARED_REDIS_PORT = "dev.iffleet.devstack.shared.redis-port";
    private static DevStack shared;

    private final KafkaBroker kafka;
    private final RedisServer redis;
    private final boolean isShared;

    private DevStack(KafkaBroker kafka, RedisServer redis, boolean isShared) {
        this.kafka = kafka;
        this.redis = redis;
        this.isShared = isShared;
    }

    /** Starts Kafka and Redis side by side, with their files under {@code workDir}. */
    public static DevStack start(Path workDir) {
        return start(workDir, false);
    }

    /**
     * The stack shared by everything in this JVM, started on first use under
     * {@code target/dev-stack-<pid>} of the working directory and stopped when the JVM exits.
     * Callers share it, so they use unique topic names and key prefixes; closing it does nothing.
     */
    public static DevStack shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = attachOrStartShared();
            }
            return shared;
        }
    }

    /** The Kafka broker, e.g. for {@link KafkaBroker#createTopics}. */
    public KafkaBroker kafka() {
        return kafka;
    }

    /** The Redis server. */
    public RedisServer redis() {
        return redis;
    }

    /** Kafka's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Redis' {@code redis://127.0.0.1:<port>} URI. */
    public String redisUri() {
        return redis.uri();
    }

    /** Stops both servers, except for the shared stack, which lives until the JVM exits. */
    @Override
    public void close() {
        if (!isShared) {
            stop();
        }
    }

    private void stop() {
        try {
            kafka.close();
        } finally {
            redis.close();
        }
    }

    private static DevStack start(Path workDir, boolean isShared) {
        // Redis is ready in well under a second, Kafka in several: start Redis alongside
        CompletableFuture<RedisServer> redis = CompletableFuture.supplyAsync(() -> RedisServer.start(workDir));
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(workDir);
        } catch (RuntimeException | Error e) {
            redis.thenAccept(RedisServer::close);
            throw e;
        }
        try {
            return new DevStack(kafka, redis.join(), isShared);
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static DevStack attachOrStartShared() {
        String bootstrap = System.getProperty(SHARED_KAFKA);
        String redisPort = System.getProperty(SHARED_REDIS_PORT);
        if (bootstrap != null && redisPort != null) {
            return new DevStack(KafkaBroker.attach(bootstrap), RedisServer.attach(Integer.parseInt(redisPort)), true);
        }
        Path dir = Path.of("target", "dev-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
        DevStack stack = start(dir, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            deleteAllButLogs(dir);
        }, "dev-stack-shared-stop"));
        System.setProperty(SHARED_KAFKA, stack.bootstrapServers());
        System.setProperty(SHARED_REDIS_PORT, String.valueOf(stack.redis().port()));
        return stack;
    }

    // Keeps kafka.log and redis.log for post-mortems; drops Kafka's data and the 10 MB Redis binary,
    // which would otherwise pile up in target/ with every test JVM.
    private static void deleteAllButLogs(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                // top level only: Kafka's segment files end in .log as well
                boolean keep = path.equals(dir)
                        || path.getParent().equals(dir) && path.getFileName().toString().endsWith(".log");
                if (!keep && (!Files.isDirectory(path) || isEmpty(path))) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
