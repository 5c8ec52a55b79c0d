package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleet up} as a real launcher process on the tiny pack (its own Kafka and Redis, a few workers): SIGTERM to
 * the launcher, or {@code ./fleet down} from another process, leaves none of the processes it started running.
 */
class FleetStopTest {

    private static Path root;
    private static Path logs;
    private Process launcher;
    private FleetState state;

    @BeforeAll
    static void paths() throws IOException {
        root = RepoRoot.find();
        logs = Files.createDirectories(root.resolve("launcher/target/stop-logs"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroyForcibly();
        }
        if (state != null) { // never leave a JVM of this test behind, whatever failed
            Stream.concat(state.processes().stream(), state.stack().stream())
                    .forEach(p -> p.handle().ifPresent(ProcessHandle::destroyForcibly));
            Path file = FleetState.file(root, state.name());
            Files.deleteIfExists(file);
            deleteTree(file.getParent());
            deleteTree(root.resolve(".fleet").resolve("run-" + state.launcher().pid()));
        }
    }

    @Test
    void sigtermToTheLauncherStopsEveryReplicaKafkaAndRedis() throws Exception {
        String name = "stop-term";
        launcher = up(name, "--only", "encode,stage1", "--replicas", "stage1=2", "--set", "fleet.kafka.partitions=6",
                "--max-batch", "stage1=2");
        state = awaitReady(name);

        List<FleetState.Proc> stage1 = state.processes().stream().filter(p -> p.service().equals("stage1")).toList();
        assertEquals(List.of(0, 1), stage1.stream().map(FleetState.Proc::replica).toList());
        assertTrue(stage1.get(0).port() != stage1.get(1).port(), "a port each: " + stage1);
        assertTrue(stage1.get(0).log().endsWith("stage1-worker-0.log") && stage1.get(1).log().endsWith("stage1-worker-1.log"),
                "a log each: " + stage1);
        assertEquals("cpu", stage1.get(1).device());
        String replica1 = commandLine(stage1.get(1));
        for (String property : List.of("-Dfleet.worker.replica=1", "-Dfleet.model.device=cpu", "-Dfleet.name=" + name,
                "-Dfleet.worker.max-batch=2")) {
            assertTrue(replica1.contains(property), property + " in " + replica1);
        }
        FleetState.Proc encode = state.processes().stream().filter(p -> p.service().equals("encode")).findFirst().orElseThrow();
        assertTrue(commandLine(encode).contains("-Dfleet.worker.max-batch=1"),
                "--max-batch stage1=2 is stage1's only: a cpu replica of another stage runs jobs alone");
        assertEquals(List.of("kafka", "redis"), state.stack().stream().map(FleetState.Proc::service).distinct().sorted().toList(),
                "Kafka and Redis are recorded: " + state.stack());
        assertEquals(6, partitions(state.bootstrap(), name + ".stage1"));

        ByteArrayOutputStream status = new ByteArrayOutputStream();
        assertEquals(0, StatusCommand.run(root, new String[] {"--name", name}, new PrintStream(status, true, StandardCharsets.UTF_8)));
        String shown = status.toString(StandardCharsets.UTF_8);
        assertTrue(shown.matches("(?s).*\\nstage1\\s+1\\s.*"), "replica 1 of stage1 is listed:\n" + shown);
        assertTrue(shown.matches("(?s).*stage1\\s+stop-term\\.stage1\\s+stop-term-stage1\\s+0\\s.*"), "stage1's lag:\n" + shown);

        List<ProcessHandle> started = handles(state);
        launcher.destroy(); // SIGTERM, as systemd, docker or kill would send it
        assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher exits");
        assertEquals(128 + 15, launcher.exitValue(), "exit status of a SIGTERM");
        assertAllGone(started);
        assertFalse(Files.exists(FleetState.file(root, name)), "the state file is removed");
        assertTrue(Files.readString(logs.resolve(name + ".log")).contains("fleet: stopped in"));
    }

    @Test
    void downFromAnotherProcessStopsTheFleetAndSaysWhat() throws Exception {
        String name = "stop-down";
        launcher = up(name, "--only", "encode");
        state = awaitReady(name);
        List<ProcessHandle> started = handles(state);

        String out = down(name);
        assertTrue(out.contains("asking launcher pid " + state.launcher().pid()), out);
        FleetState.Proc encode = state.processes().get(0);
        assertTrue(out.contains("encode#0 pid " + encode.pid()), out);
        assertTrue(out.contains("fleet '" + name + "' is down"), out);
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exits");
        assertAllGone(started);
    }

    @Test
    void downStopsWhatAKilledLauncherLeftBehind() throws Exception {
        String name = "stop-orphans";
        launcher = up(name, "--only", "gateway"); // no model to warm up: the quickest service to leave behind
        state = awaitReady(name);
        List<ProcessHandle> started = handles(state);
        ProcessHandle gateway = ProcessHandle.of(state.processes().get(0).pid()).orElseThrow();

        launcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // no handler runs: the services stay
        Thread.sleep(1000);
        assertTrue(gateway.isAlive(), "a SIGKILLed launcher leaves its services running");

        String out = down(name);
        assertFalse(out.contains("asking launcher"), out);
        assertTrue(out.matches("(?s).*gateway#0 pid " + gateway.pid() + "\\s+stopped \\(SIGTERM\\).*"), out);
        assertAllGone(started);
    }

    private static Process up(String name, String... args) throws IOException {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("up", "--pack", "models/tiny", "--name", name, "--set", "fleet.worker.drain-timeout=5s"));
        cmd.addAll(List.of(args));
        Files.deleteIfExists(FleetState.file(root, name));
        return new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
    }

    private static String down(String name) throws Exception {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("down", "--name", name));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "down returns");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The launcher's JVM on this test's classpath (the launcher's jar may not be packaged yet under mvn verify). */
    private static List<String> javaCommand() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Diffleet.repo.root=" + root, "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), FleetMain.class.getName()));
    }

    private FleetState awaitReady(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            assertTrue(launcher.isAlive(), "launcher exited with " + (launcher.isAlive() ? "" : launcher.exitValue())
                    + "; see " + logs.resolve(name + ".log"));
            Optional<FleetState> s = FleetState.read(FleetState.file(root, name));
            if (s.isPresent()) {
                state = s.get(); // for the clean-up, ready or not
                if (state.ready()) {
                    return state;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("fleet " + name + " not ready in 5 min; see " + logs.resolve(name + ".log"));
    }

    private static List<ProcessHandle> handles(FleetState s) {
        List<ProcessHandle> all = new ArrayList<>();
        Stream.concat(Stream.of(s.launcher()), Stream.concat(s.processes().stream(), s.stack().stream()))
                .forEach(p -> all.add(p.handle().orElseThrow(() -> new AssertionError(p.label() + " is not running"))));
        assertTrue(all.size() >= 4, "launcher, a worker, Kafka and Redis at least: " + all);
        return all;
    }

    private static void assertAllGone(List<ProcessHandle> started) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> alive = started.stream().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), alive, "still running");
    }

    private static String commandLine(FleetState.Proc p) {
        return p.handle().flatMap(h -> h.info().commandLine()).orElseThrow(() -> new AssertionError(p.label() + " gone"));
    }

    private static int partitions(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
