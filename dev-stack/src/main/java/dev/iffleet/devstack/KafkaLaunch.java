package dev.iffleet.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Writes the configuration of a fresh single-node KRaft cluster and starts its JVM. */
final class KafkaLaunch {

    private static final String CHILD_CLASS = KafkaChild.class.getSimpleName() + ".class";

    private KafkaLaunch() {
    }

    static ChildProcess launch(Path dir, List<String> classpath, String clusterId, int port, int controllerPort) {
        try {
            Files.createDirectories(dir);
            // Every start formats fresh storage: the KRaft voter set stored in the log names the
            // controller port, which differs between runs.
            Path data = dir.resolve("kafka-data");
            deleteRecursively(data);
            Path serverProperties = Files.writeString(dir.resolve("server.properties"),
                    serverProperties(data, port, controllerPort));
            Path log4j = Files.writeString(dir.resolve("kafka-log4j2.properties"), LOG4J_CONFIG);
            Path launcher = writeChildClass(dir.resolve("kafka-launcher"));

            List<String> jvmClasspath = new ArrayList<>();
            jvmClasspath.add(launcher.toString());
            jvmClasspath.addAll(classpath);
            List<String> args = List.of(
                    "-Xmx512m",
                    // a small heap needs no parallel collector; serial GC starts no GC threads per core
                    "-XX:+UseSerialGC",
                    "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=" + log4j.toUri(),
                    "-cp", String.join(File.pathSeparator, jvmClasspath),
                    KafkaChild.class.getName(),
                    clusterId,
                    serverProperties.toString());
            // an @argfile keeps long test classpaths clear of the command-line length limit
            Path argFile = Files.write(dir.resolve("kafka-jvm.args"), args.stream().map(KafkaLaunch::quote).toList());
            Path log = dir.resolve("kafka.log");
            Files.deleteIfExists(log);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return ChildProcess.start("kafka", List.of(java, "@" + argFile), dir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka work directory " + dir, e);
        }
    }

    private static String serverProperties(Path data, int port, int controllerPort) {
        String plaintext = "PLAINTEXT://127.0.0.1:" + port;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=" + plaintext + "," + controller,
                "advertised.listeners=" + plaintext + "," + controller,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                // several consumers of one stage share a topic's work only up to its partition count
                "num.partitions=4",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // fewer internal partitions make the first consumer group and transaction start faster
                "offsets.topic.num.partitions=4",
                "transaction.state.log.num.partitions=4",
                // the default 128 MiB compaction buffer costs a second of startup and a quarter of the heap
                "log.cleaner.dedupe.buffer.size=8388608",
                "");
    }

    // Console output goes to kafka.log: the child's stdout is redirected there.
    private static final String LOG4J_CONFIG = String.join("\n",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.out.ref = out",
            "");

    // Copying KafkaChild's class file makes the child independent of where dev-stack's own classes
    // live (a jar, target/classes, or a Quarkus class loader) and of an explicit caller classpath.
    private static Path writeChildClass(Path root) throws IOException {
        Path target = root.resolve(KafkaChild.class.getPackageName().replace('.', '/')).resolve(CHILD_CLASS);
        Files.createDirectories(target.getParent());
        try (InputStream in = KafkaChild.class.getResourceAsStream(CHILD_CLASS)) {
            if (in == null) {
                throw new IOException("class file " + CHILD_CLASS + " not found as a resource");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return root;
    }

    // @argfile syntax: quotes group, backslash escapes inside quotes
    private static String quote(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
