package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** All five services as separate processes over a real Kafka and Redis: prompts in through the gateway, PNGs out. */
class FleetEndToEndTest {

    private static FleetClient client;

    @BeforeAll
    static void startFleet() {
        client = new FleetClient(SharedFleet.get().gatewayUrl());
    }

    @Test
    void promptBecomesThreePngsOfTheCascadeSizes() {
        String id = client.submit("""
                {"prompt": "a red circle above a blue square", "seed": 7,
                 "stage1": {"steps": 10}, "sr": {"steps": 5}, "upscale": {"steps": 5}}""");
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(5), j -> {});

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(64, side(client.get("/v1/jobs/" + id + "/images/stage1.png")));
        assertEquals(256, side(client.get("/v1/jobs/" + id + "/images/sr.png")));
        assertEquals(1024, side(client.get("/v1/jobs/" + id + "/images/upscale.png")));
        // each stage starts after the previous one finished (its message is sent after its outputs are stored), waits
        // in Kafka no longer than that gap, and runs its model within its own start..finish window
        long previousEnd = job.path("created_at").asLong();
        for (String stage : new String[] {"encode", "stage1", "sr", "upscale"}) {
            JsonNode m = job.path("metrics").path(stage);
            long started = m.path("started_at").asLong();
            long finished = m.path("finished_at").asLong();
            assertTrue(previousEnd > 0 && started >= previousEnd && finished >= started, stage + " in order: " + job);
            assertTrue(m.path("queued_ms").asLong(-1) <= started - previousEnd, stage + " queue wait: " + m);
            assertTrue(m.path("run_ms").asLong(-1) <= finished - started + 1, stage + " run time: " + m);
            assertTrue(m.path("io_ms").asLong(-1) <= finished - started + 1, stage + " io time: " + m);
            previousEnd = finished;
        }
        assertTrue(job.path("metrics").path("stage1").path("run_ms").asLong() > 0, "10 steps of stage I take time: " + job);
    }

    @Test
    void outputSize64StopsAfterStageOne() {
        String id = client.submit("""
                {"prompt": "a small job", "output_size": 64, "stage1": {"steps": 3}}""");
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(3), j -> {});

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(64, side(client.get("/v1/jobs/" + id + "/images/stage1.png")));
        assertFalse(job.path("metrics").has("sr"), "stage II never ran: " + job);
        assertEquals(404, client.get("/v1/jobs/" + id + "/images/sr.png").status());
    }

    @Test
    void sameSeedGivesTheSameImageAndAnotherSeedDoesNot() {
        String body = """
                {"prompt": "seeded", "output_size": 64, "seed": %d, "stage1": {"steps": 3}}""";
        byte[] a = stage1Png(client.submit(body.formatted(11)));
        byte[] b = stage1Png(client.submit(body.formatted(11)));
        byte[] c = stage1Png(client.submit(body.formatted(12)));
        assertTrue(java.util.Arrays.equals(a, b), "same seed, same pixels");
        assertFalse(java.util.Arrays.equals(a, c), "another seed, other pixels");
    }

    @Test
    void badRequestIsAProblemNamingTheFieldAndCreatesNoJob() {
        FleetClient.Reply r = client.post("/v1/jobs", """
                {"prompt": "x", "sr": {"noise_level": 5000}}""");
        assertEquals(400, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("sr.noise_level", r.json().path("field").asText());
    }

    private byte[] stage1Png(String id) {
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(3), j -> {});
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        return client.get("/v1/jobs/" + id + "/images/stage1.png").body();
    }

    private static int side(FleetClient.Reply png) {
        assertEquals(200, png.status());
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertEquals(img.getWidth(), img.getHeight());
            return img.getWidth();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
