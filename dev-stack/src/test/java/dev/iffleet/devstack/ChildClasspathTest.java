package dev.iffleet.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClasspathTest {

    @TempDir
    Path dir;

    @Test
    void expandsClassPathOfManifestOnlyJars() throws Exception {
        Path kafkaJar = ChildClasspath.locate("kafka.Kafka");
        assertNotNull(kafkaJar);
        Path inner = writeJar(dir.resolve("lib/inner.jar"), kafkaJar.toUri().toString());
        // relative entry, resolved against the jar's own location, as maven-jar-plugin writes it
        Path booter = writeJar(dir.resolve("booter.jar"), "lib/inner.jar");

        List<Path> expanded = ChildClasspath.expand(booter.toString());

        assertEquals(List.of(booter, inner, kafkaJar), expanded);
    }

    @Test
    void locatesAJarForEveryKafkaRuntimeClass() {
        // the fallback for class loaders that java.class.path does not describe (Quarkus, IDEs)
        List<Path> jars = ChildClasspath.kafkaRuntimeJars();
        for (String jar : List.of("kafka_2.13-", "kafka-clients-", "kafka-server-", "scala-library-", "slf4j-api-")) {
            assertTrue(jars.stream().anyMatch(path -> path.getFileName().toString().startsWith(jar)), jar + " in " + jars);
        }
    }

    @Test
    void putsLog4jFirstSoThatSlf4jPicksIt() {
        List<String> classpath = ChildClasspath.forKafka();
        assertTrue(classpath.get(0).contains("log4j-slf4j2-impl"), classpath.get(0));
        assertTrue(classpath.stream().anyMatch(entry -> entry.contains("kafka_2.13")), classpath::toString);
    }

    private static Path writeJar(Path jar, String classPath) throws Exception {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
