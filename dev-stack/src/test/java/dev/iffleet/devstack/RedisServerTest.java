package dev.iffleet.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

    @TempDir
    Path workDir;

    @Test
    void answersSetAndGetOverResp() throws IOException {
        try (RedisServer redis = RedisServer.start(workDir); Resp client = new Resp(redis.port())) {
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals("PONG", client.call("PING"));
            assertEquals("OK", client.call("SET", "test:greeting", "hello fleet", "PX", "60000"));
            assertEquals("hello fleet", client.call("GET", "test:greeting"));
            assertNull(client.call("GET", "test:missing"));
        }
    }

    @Test
    void closeStopsTheServer() {
        RedisServer redis = RedisServer.start(workDir);
        int port = redis.port();
        assertTrue(Ports.isListening(port));
        redis.close();
        assertFalse(Ports.isListening(port));
    }

    @Test
    void serverDiesWithAJvmKilledBySigkill() throws Exception {
        Path portFile = workDir.resolve("port");
        String classpath = String.join(File.pathSeparator,
                ChildClasspath.expand(System.getProperty("java.class.path")).stream().map(Path::toString).toList());
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, RedisHolder.class.getName(), workDir.toString(), portFile.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("holder.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) && System.nanoTime() < deadline && jvm.isAlive()) {
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readString(portFile).trim());
        assertTrue(Ports.isListening(port));

        jvm.destroyForcibly().waitFor();

        while (Ports.isListening(port) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(Ports.isListening(port), "redis-server outlived its killed parent JVM");
    }

    @Test
    void bundledBinaryIsChosenForThisPlatform() {
        assertTrue(List.of("redis-server-6.2.6-v5-linux-amd64", "redis-server-6.2.7-linux-arm64",
                "redis-server-6.2.6-v5-darwin-amd64", "redis-server-6.2.6-v5-darwin-arm64")
                .contains(RedisServer.bundledResourceName()));
        assertNotNull(RedisServer.class.getClassLoader().getResource(RedisServer.bundledResourceName()));
    }

    /** Child JVM for the SIGKILL test: starts Redis, writes its port, and waits. */
    static final class RedisHolder {
        public static void main(String[] args) throws Exception {
            RedisServer redis = RedisServer.start(Path.of(args[0]));
            Path tmp = Files.writeString(Path.of(args[1] + ".tmp"), String.valueOf(redis.port()));
            Files.move(tmp, Path.of(args[1]));
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
