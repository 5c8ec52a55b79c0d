package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliMainTest {

    private static final String QUEUED = "{\"id\":\"" + FakeGateway.ID + "\",\"status\":\"queued\",\"metrics\":{},\"images\":{}}";
    private static final String RUNNING = "{\"id\":\"" + FakeGateway.ID + "\",\"status\":\"running\",\"stage\":\"stage1\","
            + "\"progress\":{\"stage\":\"stage1\",\"step\":7,\"total\":20},"
            + "\"metrics\":{\"encode\":{\"queued_ms\":5,\"run_ms\":40,\"io_ms\":2,\"finished_at\":1}},\"images\":{}}";
    private static final String SUCCEEDED = "{\"id\":\"" + FakeGateway.ID + "\",\"status\":\"succeeded\","
            + "\"metrics\":{\"encode\":{\"queued_ms\":5,\"run_ms\":40,\"io_ms\":2,\"finished_at\":1},"
            + "\"stage1\":{\"queued_ms\":3,\"run_ms\":900,\"io_ms\":4,\"finished_at\":2}},"
            + "\"images\":{\"stage1\":\"/v1/jobs/" + FakeGateway.ID + "/images/stage1.png\"},"
            + "\"outputs\":[{\"stage\":\"stage1\",\"index\":0,\"url\":\"/v1/jobs/" + FakeGateway.ID
            + "/images/stage1.png\",\"flagged\":false}]}";
    private static final String FAILED = "{\"id\":\"" + FakeGateway.ID + "\",\"status\":\"failed\","
            + "\"error\":\"stage1: model exploded\",\"metrics\":{},\"images\":{}}";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return CliMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofMillis(20));
    }

    @Test
    void submitFollowsTheJobAndWritesItsImages(@TempDir Path dir) throws Exception {
        try (FakeGateway gw = new FakeGateway(List.of(QUEUED, RUNNING, RUNNING, SUCCEEDED))) {
            int code = run(Map.of("IF_FLEET_API_KEY", "key-123"), "submit", "a red circle", "--url", gw.url(),
                    "--out", dir.toString(), "--size", "64", "--seed", "7");

            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            Path png = dir.resolve(FakeGateway.ID + "-stage1.png");
            assertArrayEquals(FakeGateway.PNG, Files.readAllBytes(png));
            assertEquals(4, gw.polls());
            assertTrue(gw.authorizations.stream().allMatch("Bearer key-123"::equals), gw.authorizations.toString());
            assertEquals("{\"prompt\":\"a red circle\",\"output_size\":64,\"seed\":7}", gw.lastBodies.get("submit"));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("stage1   [##########] 20/20"), printed);
            assertTrue(printed.contains(png.toString()), printed);
            assertFalse(printed.contains("key-123") || err.toString(StandardCharsets.UTF_8).contains("key-123"));
        }
    }

    @Test
    void jobsStuckListsEachStuckJobWithItsCause() throws Exception {
        try (FakeGateway gw = new FakeGateway(List.of(QUEUED))) {
            int code = run(Map.of(), "jobs", "stuck", "--url", gw.url());

            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(1).matches(FakeGateway.ID + " +stage1 +worker_lost +1 +worker 0/42@h is gone.*"),
                    lines.get(1));
            assertTrue(lines.get(2).contains("reaper is off"), lines.get(2));
        }
        assertEquals(2, run(Map.of(), "jobs", "stale"), "only stuck is a sub-command of jobs");
    }

    @Test
    void failedJobExitsOneWithItsError(@TempDir Path dir) throws Exception {
        try (FakeGateway gw = new FakeGateway(List.of(QUEUED, FAILED))) {
            int code = run(Map.of(), "submit", "p", "--url", gw.url(), "--out", dir.toString());

            assertEquals(1, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("stage1: model exploded"), err.toString());
            assertTrue(gw.authorizations.stream().allMatch("null"::equals), "no key, no Authorization header");
        }
    }

    @Test
    void unreachableGatewayExitsThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int code = run(Map.of("IF_FLEET_URL", "http://127.0.0.1:" + port), "submit", "p");

        assertEquals(3, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot reach the gateway"), err.toString());
    }

    @Test
    void httpErrorsExitThreeWithTheProblemDetail() throws Exception {
        try (FakeGateway gw = new FakeGateway(List.of(QUEUED))) {
            assertEquals(3, run(Map.of(), "get", "nope", "--url", gw.url()));
            assertEquals(3, run(Map.of(), "cancel", "nope", "--url", gw.url()));
            assertEquals(3, run(Map.of(), "jobs", "--url", gw.url()));
            String printed = err.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("no job nope"), printed);
            assertTrue(printed.contains("no such job"), printed);
            assertTrue(printed.contains("cannot list jobs"), printed);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run(Map.of(), "submit"));
        assertEquals(2, run(Map.of(), "frobnicate"));
        assertEquals(0, run(Map.of(), "submit", "--help"));
    }
}
