package dev.iffleet.gateway.reaper;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.reaper.Reaper;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.StageStore;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/stuck} and a sweep of the gateway's reaper against real Kafka and Redis: a job whose stage-I
 * worker is gone is listed with its cause, then re-queued: its stage-I message is on the topic again, carrying the
 * encoder's outputs.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(StuckJobsApiTest.ManualReaper.class)
class StuckJobsApiTest {

    /** No timer: the test sweeps itself, so the listing sees the job before the reaper settles it. */
    public static class ManualReaper implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.reaper.enabled", "false");
        }
    }

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Inject
    ReaperService reaper;

    @Test
    void aJobOfAGoneWorkerIsListedWithItsCauseThenRequeuedWithItsInputs() {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        JobParams params = new JobParams("a ring", "", 42, 64, null, null, null);
        jobs.create(id, params, now - 120_000);
        String emb = jobs.keys().artifact(id, Stage.ENCODE, "prompt_emb");
        redis.putBytes(emb, new byte[] {7}, Duration.ofMinutes(5));
        redis.putString(jobs.keys().done(id, Stage.ENCODE), Json.write(Map.of("prompt_emb", emb)), Duration.ofMinutes(5));
        new StageStore(redis, jobs.keys(), Duration.ofMinutes(5)).admit(id, Stage.STAGE1, 3, "0/999999@gone", now - 60_000);

        JsonPath listed = given().get("/v1/jobs/stuck").then().statusCode(200).extract().jsonPath();
        Map<String, Object> mine = listed.<Map<String, Object>>getList("jobs").stream()
                .filter(j -> id.equals(j.get("id"))).findFirst().orElseThrow();
        assertEquals("stage1", mine.get("stage"));
        assertEquals("worker_lost", mine.get("cause"));
        assertTrue(mine.get("detail").toString().contains("0/999999@gone is gone"), mine.toString());
        assertEquals(false, listed.getBoolean("reaper.enabled"));

        Reaper.Sweep sweep = reaper.sweep();
        assertTrue(sweep.requeued() >= 1, "re-queued: " + sweep);
        assertEquals("1", redis.getHash(jobs.keys().job(id)).get("stage1.requeues"));
        StageMessage again = Json.read(stage1Message(id), StageMessage.class);
        assertEquals(Stage.STAGE1, again.stage());
        assertEquals(2, again.attempt());
        assertEquals(Map.of("encode.prompt_emb", emb), again.artifacts());
        List<Object> still = given().get("/v1/jobs/stuck").then().statusCode(200).extract().jsonPath().getList("jobs.id");
        assertTrue(!still.contains(id), "waiting for stage I again, not stuck: " + still);
    }

    private static String stage1Message(String id) {
        Map<String, Object> c = Map.of("bootstrap.servers", DevStack.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(Topics.DEFAULT.input(Stage.STAGE1)));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(r.key())) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no stage1 message for " + id);
    }
}
