package dev.iffleet.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cancel, retention (410), error codes, sync mode and OpenAPI against real Kafka and Redis. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class JobControlApiTest {

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    static String submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    @Test
    void queuedJobIsCanceledItsArtifactsFreedAndItsRecordKept() {
        String id = submit("{\"prompt\":\"to cancel\"}");
        String artifact = jobs.keys().artifact(id, Stage.ENCODE, "prompt_emb");
        redis.putBytes(artifact, new byte[] {1}, Duration.ofMinutes(1));

        given().post("/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("canceled")).body("error_code", equalTo("canceled"));

        assertFalse(redis.exists(artifact));
        given().get("/v1/jobs/" + id).then().statusCode(200).body("status", equalTo("canceled"));
        given().post("/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("canceled"));
        // no worker ran it, so the gateway itself ends the job's event stream
        String stream = given().accept("text/event-stream").get("/v1/jobs/" + id + "/events")
                .then().statusCode(200).extract().asString();
        assertEquals(1, stream.lines().filter(l -> l.startsWith("event:") && l.contains("canceled")).count(),
                "exactly one canceled event (the repeated cancel adds none): " + stream);
    }

    @Test
    void cancelOfAFinishedJobIsAConflictAndOfAnUnknownOneNotFound() {
        String id = submit("{\"prompt\":\"finished\"}");
        jobs.succeeded(id, System.currentTimeMillis());
        given().post("/v1/jobs/" + id + "/cancel").then().statusCode(409).contentType(Problem.MEDIA_TYPE);
        given().post("/v1/jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void jobPastItsRetentionIsGoneWithDataRemoved() {
        String id = submit("{\"prompt\":\"expiring\"}");
        redis.unlink(jobs.keys().job(id));
        given().get("/v1/jobs/" + id).then().statusCode(410).contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("data_removed"));
        given().get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void retentionIsTheRecordTtlAndIsCapped() {
        String id = submit("{\"prompt\":\"kept briefly\",\"retention\":\"PT2H\"}");
        long pttl = redis.text().pttl(jobs.keys().job(id));
        assertTrue(pttl > 3_500_000 && pttl <= 7_200_000, "PTTL " + pttl);
        given().get("/v1/jobs/" + id).then().statusCode(200).body("params.retention_seconds", equalTo(7200));

        given().contentType(ContentType.JSON).body("{\"prompt\":\"too long\",\"retention\":864000}")
                .post("/v1/jobs").then().statusCode(400).body("field", equalTo("retention"));
    }

    @Test
    void failedJobShowsItsErrorCode() {
        String id = submit("{\"prompt\":\"failing\"}");
        jobs.failed(id, Stage.STAGE1, "model_unavailable", "stage1: no weights", System.currentTimeMillis());
        given().get("/v1/jobs/" + id).then().statusCode(200)
                .body("status", equalTo("failed")).body("error_code", equalTo("model_unavailable"))
                .body("error", equalTo("stage1: no weights"));
    }

    @Test
    void liveJobShowsAQueuePosition() {
        String ahead = submit("{\"prompt\":\"waiting first\"}");
        String id = submit("{\"prompt\":\"waiting\"}");
        int before = given().get("/v1/jobs/" + ahead).then().statusCode(200).extract().path("queue_position");
        // no worker runs in this test: the job submitted just before is the one more job ahead of it
        given().get("/v1/jobs/" + id).then().statusCode(200).body("queue_position", equalTo(before + 1))
                .body("urls.cancel", equalTo("/v1/jobs/" + id + "/cancel"))
                .body("urls.stream", equalTo("/v1/jobs/" + id + "/events"))
                .body("urls.web", equalTo("/?job=" + id));
    }

    @Test
    void preferWaitHoldsUntilTheWaitEndsThenAnswersLikeAGet() {
        long t0 = System.nanoTime();
        String id = given().contentType(ContentType.JSON).header("Prefer", "wait=1").body("{\"prompt\":\"slow\"}")
                .post("/v1/jobs").then().statusCode(202).header("Preference-Applied", "wait=1").extract().path("id");
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "held about a second");

        jobs.succeeded(id, System.currentTimeMillis());
        given().header("Prefer", "wait=90").get("/v1/jobs/" + id).then().statusCode(200)
                .header("Preference-Applied", "wait=60").body("status", equalTo("succeeded"));
        given().header("Prefer", "wait=soon").get("/v1/jobs/" + id).then().statusCode(200);
    }

    @Test
    void openApiDocumentsTheCancelOperation() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/jobs/{id}/cancel"));
        assertEquals(200, given().get("/q/swagger-ui/").statusCode());
    }

    @Test
    void openApiDocumentsTheApiKeySchemeAndTheStreamKeepAlive() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("http", doc.getString("components.securitySchemes.apiKey.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.apiKey.scheme"));
        for (String path : List.of("/v1/jobs", "/v1/jobs/{id}/events", "/v1/jobs/{id}/deliveries")) {
            assertEquals(List.of(Map.of("apiKey", List.of())), doc.getList("paths.'" + path + "'.get.security"), path);
        }
        assertTrue(doc.getString("paths.'/v1/jobs/{id}/events'.get.description").contains(": keep-alive"));
        assertTrue(doc.getString("paths.'/v1/jobs'.post.description").contains("429"));
    }
}
