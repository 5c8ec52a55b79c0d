package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iffleet.devstack.DevStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A job's life beyond the happy path on the real fleet: cancel at every stage, webhooks across a gateway crash, SSE replay. */
// the gateway crash goes last: until Kafka drops the dead consumer, the new gateway misses events (see report)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CASCADE = List.of("encode", "stage1", "sr", "upscale");
    private static final int LONG_STEPS = 400;
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    private static Fleet fleet;
    private static FleetClient client;

    @BeforeAll
    static void startFleet() {
        Path root = RepoRoot.find();
        SharedFleet.stop(); // its workers would consume this fleet's topics too
        fleet = Fleet.start(DevStack.shared(), root, root.resolve("models/tiny"), root.resolve("launcher/target/life-logs"),
                Map.of("fleet.redis.key-prefix", "life:"),
                Map.of(Service.GATEWAY, Map.of("fleet.webhooks.allow-hosts", "127.0.0.1",
                        "fleet.webhooks.schedule", "0s,2s,2s,2s",
                        "fleet.webhooks.secrets", SECRET)),
                Duration.ofMinutes(5), EnumSet.allOf(Service.class));
        client = new FleetClient(fleet.gatewayUrl());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage1", "sr", "upscale"})
    void cancelStopsARunningJobWithinItsStage(String stage) throws InterruptedException {
        String id = client.submit("""
                {"prompt": "cancel me at %s", "seed": 3, "stage1": {"steps": %d}, "sr": {"steps": %d},
                 "upscale": {"steps": %d}}""".formatted(stage, steps(stage, "stage1"), steps(stage, "sr"),
                steps(stage, "upscale")));
        await(id, j -> stage.equals(j.path("stage").asText()) && stage.equals(j.path("progress").path("stage").asText())
                && j.path("progress").path("step").asInt() >= 1, "running " + stage);

        FleetClient.Reply cancel = client.post("/v1/jobs/" + id + "/cancel");
        assertEquals(200, cancel.status(), new String(cancel.body()));
        assertEquals("canceled", cancel.json().path("status").asText());

        // give the worker time to notice (one step), then the counter must stand still, short of its total
        Thread.sleep(1500);
        JsonNode settled = view(id);
        Thread.sleep(2000);
        JsonNode later = view(id);
        assertEquals("canceled", later.path("status").asText(), later.toString());
        int step = later.path("progress").path("step").asInt();
        assertEquals(settled.path("progress").path("step").asInt(), step, "step counter stopped: " + later);
        assertTrue(step < LONG_STEPS, "stopped before " + LONG_STEPS + " steps: " + later);
        for (String next : CASCADE.subList(CASCADE.indexOf(stage) + 1, CASCADE.size())) {
            assertFalse(later.path("metrics").has(next), next + " never ran: " + later);
        }
        assertEquals(404, client.get("/v1/jobs/" + id + "/images/" + stage + ".png").status());
        assertEquals(200, client.post("/v1/jobs/" + id + "/cancel").status(), "canceling again is a no-op");
    }

    @Test
    void queuedJobCanceledAtOnceNeverReachesTheDiffusionStages() throws InterruptedException {
        String id = client.submit("""
                {"prompt": "never mind", "output_size": 64, "stage1": {"steps": 2}}""");
        FleetClient.Reply cancel = client.post("/v1/jobs/" + id + "/cancel");
        assertEquals(200, cancel.status(), new String(cancel.body()));
        assertEquals("canceled", cancel.json().path("status").asText());

        long canceledAt = cancel.json().path("updated_at").asLong();

        // the encoder (even stage I) may have been quick enough to start before the cancel; none starts after it, and
        // a stage that had started stops without storing an image
        Thread.sleep(4000);
        JsonNode job = view(id);
        assertEquals("canceled", job.path("status").asText(), job.toString());
        for (String stage : List.of("stage1", "sr", "upscale")) {
            JsonNode m = job.path("metrics").path(stage);
            if (!m.isMissingNode()) {
                assertTrue(m.path("started_at").asLong() <= canceledAt, stage + " started after the cancel: " + job);
                assertFalse(m.has("finished_at"), stage + " finished after the cancel: " + job);
            }
        }
        assertFalse(job.path("metrics").has("sr") || job.path("metrics").has("upscale"), "a 64 px job ends at stage1");
        assertEquals(404, client.get("/v1/jobs/" + id + "/images/stage1.png").status());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void webhookRetrySurvivesAGatewayCrashWithTheSameId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(1)) {
            String id = client.submit("""
                    {"prompt": "hook", "output_size": 64, "stage1": {"steps": 2},
                     "webhook": "%s", "webhook_events_filter": ["completed"]}""".formatted(receiver.url()));
            WebhookReceiver.Hit first = receiver.awaitHits(1, Duration.ofMinutes(2)).get(0);
            assertEquals(500, first.answered());
            // the 500 must be on record before the crash, or the retry waits for the claim's lease to run out
            awaitDelivery(id, d -> d.path("attempt_log").size() >= 1, "first attempt logged");

            fleet.restart(Service.GATEWAY, Duration.ofMinutes(2));
            client = new FleetClient(fleet.gatewayUrl());

            WebhookReceiver.Hit retry = receiver.awaitHits(2, Duration.ofMinutes(1)).get(1);
            assertEquals(first.id(), retry.id(), "a retry keeps its webhook-id");
            assertEquals(204, retry.answered());
            for (WebhookReceiver.Hit hit : List.of(first, retry)) {
                assertTrue(WebhookReceiver.signedBy(hit, SECRET), "valid signature: " + hit);
                assertEquals("completed", JSON.readTree(hit.body()).path("type").asText(), hit.body());
                assertEquals(id, JSON.readTree(hit.body()).path("data").path("job_id").asText(), hit.body());
            }

            // past the whole schedule (2 s + 2 s + 2 s, with jitter): still one delivery of that event
            Thread.sleep(8000);
            Set<String> ids = receiver.hits().stream().map(WebhookReceiver.Hit::id).collect(Collectors.toSet());
            assertEquals(Set.of(first.id()), ids, "one webhook-id for the event: " + receiver.hits());
            JsonNode deliveries = client.get("/v1/jobs/" + id + "/deliveries").json().path("deliveries");
            assertEquals(1, deliveries.size(), deliveries.toString());
            assertEquals(first.id(), deliveries.get(0).path("id").asText());
            assertEquals("delivered", deliveries.get(0).path("status").asText(), deliveries.toString());
        }
    }

    @Test
    void lateSseSubscriberGetsTheWholeHistory() throws Exception {
        String id = client.submit("""
                {"prompt": "replay", "seed": 5, "stage1": {"steps": 2}, "sr": {"steps": 2}, "upscale": {"steps": 2}}""");
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(3), j -> {});
        assertEquals("succeeded", job.path("status").asText(), job.toString());

        HttpRequest req = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/v1/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(1)).build();
        HttpResponse<java.util.stream.Stream<String>> resp = HttpClient.newHttpClient()
                .send(req, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, resp.statusCode());
        List<String> events = new ArrayList<>();
        List<String> data = new ArrayList<>();
        resp.body().forEach(line -> {
            if (line.startsWith("event:")) {
                events.add(line.substring(6).trim());
            } else if (line.startsWith("data:")) {
                data.add(line.substring(5).trim());
            }
        });

        assertEquals("completed", events.get(events.size() - 1), events.toString());
        for (String stage : CASCADE) {
            assertTrue(hasEvent(events, data, "stage.started", stage), stage + " started in " + events + data);
            assertTrue(hasEvent(events, data, "stage.completed", stage), stage + " completed in " + events + data);
        }
    }

    private static boolean hasEvent(List<String> events, List<String> data, String name, String stage) throws Exception {
        for (int i = 0; i < events.size() && i < data.size(); i++) {
            if (events.get(i).equals(name) && stage.equals(JSON.readTree(data.get(i)).path("stage").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Many steps at the stage under test, one or two elsewhere, so the job gets there fast and stays. */
    private static int steps(String stageUnderTest, String stage) {
        return stage.equals(stageUnderTest) ? LONG_STEPS : stage.equals("stage1") ? 2 : 1;
    }

    private static JsonNode view(String id) {
        return client.get("/v1/jobs/" + id).json();
    }

    private static JsonNode await(String id, Predicate<JsonNode> until, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode job = view(id);
        while (!until.test(job)) {
            assertFalse(Set.of("succeeded", "failed", "canceled").contains(job.path("status").asText()),
                    "ended before " + what + ": " + job);
            assertTrue(System.nanoTime() < deadline, "not " + what + " in time: " + job);
            Thread.sleep(100);
            job = view(id);
        }
        return job;
    }

    private static void awaitDelivery(String id, Predicate<JsonNode> until, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            JsonNode ds = client.get("/v1/jobs/" + id + "/deliveries").json().path("deliveries");
            if (ds.size() > 0 && until.test(ds.get(0))) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no " + what + ": " + ds);
            Thread.sleep(100);
        }
    }
}
