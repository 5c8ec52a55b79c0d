package dev.iffleet.gateway.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.devstack.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job API against real Kafka and Redis: a submitted job is stored, queued for the encoder and tracked. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class GatewayApiTest {

    private static final String ENCODE = Topics.DEFAULT.input(Stage.ENCODE);
    private static KafkaProbe kafka;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProbe(DevStack.shared().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void submittedJobIsStoredAndQueuedForTheEncoder() {
        String prompt = "a red circle " + UUID.randomUUID();
        Response created = given().contentType(ContentType.JSON)
                .body("""
                        {"prompt":"%s","negative_prompt":"blurry","seed":42,"output_size":256,
                         "stage1":{"steps":20,"guidance_scale":7.5},"sr":{"noise_level":100}}""".formatted(prompt))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("status", equalTo("queued"))
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .extract().response();
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith("/v1/jobs/" + id), created.header("Location"));
        assertEquals("/v1/jobs/" + id, created.path("urls.get"));

        given().get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("queued"))
                .body("params.prompt", equalTo(prompt))
                .body("params.negative_prompt", equalTo("blurry"))
                .body("params.seed", equalTo(42))
                .body("params.output_size", equalTo(256))
                .body("params.stage1.steps", equalTo(20))
                .body("params.stage1.guidance_scale", equalTo(7.5f))
                .body("params.sr.noise_level", equalTo(100))
                .body("urls.get", equalTo("/v1/jobs/" + id));

        List<ConsumerRecord<String, String>> queued = kafka.await(ENCODE, r -> id.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, queued.size(), "one encode message keyed by the job id");
        StageMessage msg = Json.read(queued.get(0).value(), StageMessage.class);
        assertEquals(id, msg.jobId());
        assertEquals(Stage.ENCODE, msg.stage());
        assertEquals(1, msg.attempt());
        assertEquals(new JobParams(prompt, "blurry", 42, 256,
                new StageOverrides(20, 7.5, null), new StageOverrides(null, null, 100), null), msg.params());
        assertEquals(jobs.find(id).orElseThrow().params(), msg.params());
    }

    @Test
    void jobWithoutSeedGetsOneThatIsShownAndSent() {
        String id = given().contentType(ContentType.JSON).body("{\"prompt\":\"no seed\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");

        long shown = given().get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath().getLong("params.seed");
        StageMessage msg = Json.read(kafka.await(ENCODE, r -> id.equals(r.key()), 1, Duration.ofSeconds(30)).get(0).value(),
                StageMessage.class);
        assertEquals(shown, msg.params().seed());
        assertTrue(shown >= 0 && shown <= (1L << 53) - 1, "a drawn seed is exact in a JSON number (53 bits): " + shown);
    }

    @Test
    void invalidRequestIsAProblemAndLeavesNoJobNorMessage() {
        String marker = "refused " + UUID.randomUUID();
        long jobsBefore = jobKeyCount();

        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"" + marker + "\",\"output_size\":512}")
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid request"))
                .body("field", equalTo("output_size"))
                .body("detail", equalTo("output_size must be 64, 256 or 1024"));

        assertEquals(jobsBefore, jobKeyCount(), "no job record was written");
        assertTrue(redis.text().keys(jobs.keys().job("*")).stream()
                .noneMatch(k -> redis.text().type(k).equals("hash") && String.valueOf(redis.text().hget(k, "params")).contains(marker)));
        assertEquals(List.of(), kafka.await(ENCODE, r -> r.value().contains(marker), 1, Duration.ofSeconds(3)));
    }

    @Test
    void unknownNestedFieldIsNamedInTheProblem() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"p\",\"sr\":{\"foo\":1}}")
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("field", equalTo("sr.foo"));
    }

    @Test
    void progressEventUpdatesTheJob() {
        String id = given().contentType(ContentType.JSON).body("{\"prompt\":\"progress\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        String event = Json.write(JobEvent.progress(id, Stage.STAGE1, 3, 10, System.currentTimeMillis()));

        // the gateway reads if.events from the latest offset: an event sent before its consumer has its
        // partitions is skipped, so the (idempotent) event is sent again until it shows
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka.send(Topics.DEFAULT.events(), id, event);
            given().get("/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .body("progress.stage", equalTo("stage1"))
                    .body("progress.step", equalTo(3))
                    .body("progress.total", equalTo(10));
        });
    }

    @Test
    void malformedEventIsSkippedAndLaterEventsStillApply() {
        String id = given().contentType(ContentType.JSON).body("{\"prompt\":\"after poison\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        kafka.send(Topics.DEFAULT.events(), id, "{not json");
        String event = Json.write(JobEvent.progress(id, Stage.SR, 7, 8, System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka.send(Topics.DEFAULT.events(), id, event);
            given().get("/v1/jobs/" + id).then().statusCode(200).body("progress.step", equalTo(7));
        });
    }

    @Test
    void progressOfAnUnknownJobCreatesNoRecord() {
        String id = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        kafka.send(Topics.DEFAULT.events(), id, Json.write(JobEvent.progress(id, Stage.SR, 1, 2, 0)));
        // a second job's event, sent after, shows the first one was consumed by the time it applies
        String other = given().contentType(ContentType.JSON).body("{\"prompt\":\"" + marker + "\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka.send(Topics.DEFAULT.events(), other, Json.write(JobEvent.progress(other, Stage.SR, 1, 2, 0)));
            given().get("/v1/jobs/" + other).then().statusCode(200).body("progress.step", equalTo(1));
        });

        assertEquals(false, redis.exists(jobs.keys().job(id)));
        given().get("/v1/jobs/" + id).then().statusCode(404);
    }

    @Test
    void utf8PromptSurvivesTheRoundTrip() {
        String id = given().contentType("application/json; charset=UTF-8")
                .body("{\"prompt\":\"caf\u00e9 \u732b\"}")
                .post("/v1/jobs")
                .then().statusCode(202).extract().path("id");

        given().get("/v1/jobs/" + id).then().statusCode(200).body("params.prompt", equalTo("caf\u00e9 \u732b"));
    }

    private long jobKeyCount() {
        return redis.text().keys(jobs.keys().job("*")).size();
    }
}
