package dev.iffleet.devstack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Works out the classpath of the Kafka child JVM from what the current JVM can see. */
final class ChildClasspath {

    private static final String KAFKA_MAIN = "kafka/Kafka.class";

    // One class per jar of kafka_2.13's runtime closure, used only when java.class.path does not
    // show Kafka (Quarkus' own class loaders, IDE launchers): their jars make up the child classpath.
    private static final List<String> KAFKA_RUNTIME = List.of(
            "kafka.Kafka", "org.apache.kafka.common.Node", "org.apache.kafka.server.common.MetadataVersion",
            "org.apache.kafka.coordinator.common.runtime.Serializer", "org.apache.kafka.coordinator.group.Group",
            "org.apache.kafka.coordinator.group.api.assignor.GroupSpec", "org.apache.kafka.image.AclsDelta",
            "org.apache.kafka.raft.Batch", "org.apache.kafka.network.Session",
            "org.apache.kafka.coordinator.share.ShareCoordinator", "org.apache.kafka.storage.internals.log.Cleaner",
            "org.apache.kafka.server.log.remote.storage.LogSegmentData", "org.apache.kafka.tools.api.Decoder",
            "org.apache.kafka.coordinator.transaction.TransactionState", "scala.App", "scala.reflect.io.File",
            "com.typesafe.scalalogging.CanLog", "org.slf4j.MDC", "org.pcollections.PBag",
            "org.HdrHistogram.Version", "com.dynatrace.hash4j.hashing.Hasher",
            "com.github.benmanes.caffeine.cache.Caffeine", "net.sourceforge.argparse4j.inf.Argument",
            "org.apache.commons.validator.Arg", "org.apache.commons.beanutils.BeanMap",
            "org.apache.commons.digester.Rule", "org.apache.commons.logging.Log",
            "org.apache.commons.collections.Bag", "com.fasterxml.jackson.core.Version",
            "com.fasterxml.jackson.databind.Module", "com.fasterxml.jackson.annotation.Nulls",
            "com.fasterxml.jackson.dataformat.csv.CsvMapper", "com.fasterxml.jackson.dataformat.yaml.UTF8Reader",
            "com.fasterxml.jackson.datatype.jdk8.Jdk8Module", "org.yaml.snakeyaml.Yaml", "joptsimple.OptionSet",
            "org.jose4j.jwk.Use", "com.yammer.metrics.Metrics", "com.google.re2j.RE2",
            "com.github.luben.zstd.Zstd", "net.jpountz.lz4.LZ4JNI", "org.xerial.snappy.OSInfo",
            // kafka-server needs log4j's API and core at runtime (LoggingController), not only for logging
            "org.apache.logging.log4j.LogManager", "org.apache.logging.log4j.core.LoggerContext");

    // Kafka logs through slf4j; these come first so that slf4j picks log4j over any other binding
    // the caller has (slf4j-simple, jboss-logmanager) and Kafka honours our log4j2 configuration.
    private static final List<String> LOG4J = List.of(
            "org.apache.logging.slf4j.SLF4JServiceProvider", "org.apache.logging.log4j.core.LoggerContext",
            "org.apache.logging.log4j.LogManager");

    private ChildClasspath() {
    }

    /** Whether log4j's slf4j binding is visible, i.e. whether a log4j2 configuration will take effect. */
    static boolean hasLog4j() {
        return locate(LOG4J.get(0)) != null;
    }

    /** The child classpath: log4j (when present), then java.class.path or, failing that, Kafka's jars. */
    static List<String> forKafka() {
        Set<String> entries = new LinkedHashSet<>();
        if (hasLog4j()) {
            LOG4J.stream().map(ChildClasspath::locate).filter(Objects::nonNull).forEach(jar -> entries.add(jar.toString()));
        }
        List<Path> fromProperty = expand(System.getProperty("java.class.path", ""));
        List<Path> jars = fromProperty.stream().anyMatch(ChildClasspath::containsKafka) ? fromProperty : kafkaRuntimeJars();
        jars.forEach(path -> entries.add(path.toString()));
        return new ArrayList<>(entries);
    }

    /** The jars that hold Kafka's runtime classes, as this JVM's class loaders see them. */
    static List<Path> kafkaRuntimeJars() {
        Set<Path> jars = new LinkedHashSet<>();
        for (String name : KAFKA_RUNTIME) {
            Path jar = locate(name);
            if (jar == null) {
                throw new IllegalStateException("cannot locate " + name + " for the Kafka child JVM; "
                        + "pass the classpath explicitly (KafkaBroker.start(workDir, classpath))");
            }
            jars.add(jar);
        }
        return new ArrayList<>(jars);
    }

    /** Splits a classpath and adds, recursively, the Class-Path entries of manifest-only jars (surefire's booter). */
    static List<Path> expand(String classpath) {
        Set<Path> result = new LinkedHashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addWithManifest(Path.of(entry).toAbsolutePath().normalize(), result);
            }
        }
        return new ArrayList<>(result);
    }

    private static void addWithManifest(Path entry, Set<Path> result) {
        if (!result.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                return;
            }
            // Class-Path holds space-separated URLs relative to the jar itself (surefire writes
            // relative or absolute file: URLs, maven-jar-plugin writes lib/x.jar)
            URI base = entry.toUri();
            for (String url : classPath.trim().split("\\s+")) {
                try {
                    addWithManifest(Path.of(base.resolve(new URI(url))).normalize(), result);
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file URL; the JVM ignores such entries too
                }
            }
        } catch (IOException notAJar) {
            // the JVM skips unreadable entries as well
        }
    }

    private static boolean containsKafka(Path entry) {
        if (Files.isDirectory(entry)) {
            return Files.isRegularFile(entry.resolve(KAFKA_MAIN));
        }
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.getEntry(KAFKA_MAIN) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The jar or directory that holds {@code className}, as the class's CodeSource reports it; null if absent. */
    static Path locate(String className) {
        for (ClassLoader loader : loaders()) {
            try {
                CodeSource source = Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
                URL location = source == null ? null : source.getLocation();
                if (location != null && "file".equals(location.getProtocol())) {
                    return Path.of(location.toURI());
                }
            } catch (ClassNotFoundException | LinkageError | URISyntaxException | SecurityException e) {
                // try the next loader
            }
        }
        return null;
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        loaders.add(ChildClasspath.class.getClassLoader());
        return loaders;
    }
}
