package dev.iffleet.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every error the gateway answers under {@code /v1} is an RFC 9457 problem body, with the right status. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class ProblemResponsesTest {

    @TestHTTPResource("/v1/jobs")
    URI jobsUri;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Test
    void unknownJobIsNotFound() {
        problem(given().get("/v1/jobs/" + UUID.randomUUID()).then(), 404)
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("no job"));
    }

    @Test
    void idThatIsNoJobIdIsNotFoundEvenWhenSuchAKeyExists() {
        // an artifact key has the job key as its prefix: a crafted id must not reach it
        String artifact = UUID.randomUUID() + ":stage1:png";
        redis.putString(jobs.keys().job(artifact), "not a hash", Duration.ofMinutes(1));

        problem(given().get("/v1/jobs/" + artifact).then(), 404);
        problem(given().get("/v1/jobs/" + artifact + "/images/stage1.png").then(), 404);
    }

    @Test
    void storedImageIsServedAsPng() {
        String id = submit();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        redis.putBytes(jobs.keys().artifact(id, Stage.STAGE1, "png"), png, Duration.ofMinutes(1));

        byte[] served = given().get("/v1/jobs/" + id + "/images/stage1.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertArrayEquals(png, served);
    }

    @Test
    void imageNotYetMadeIsNotFound() {
        String id = submit();
        problem(given().get("/v1/jobs/" + id + "/images/sr.png").then(), 404)
                .body("detail", containsString("no sr image"));
        problem(given().get("/v1/jobs/" + id + "/images/encode.png").then(), 404);
    }

    @Test
    void imageOfUnknownStageOrJobIsNotFound() {
        String id = submit();
        problem(given().get("/v1/jobs/" + id + "/images/stage2.png").then(), 404)
                .body("detail", containsString("no stage 'stage2'"));
        problem(given().get("/v1/jobs/" + id + "/images/stage1").then(), 404);
        problem(given().get("/v1/jobs/" + UUID.randomUUID() + "/images/stage1.png").then(), 404);
    }

    @Test
    void unknownPathIsNotFound() {
        problem(given().get("/v1/nothing-here").then(), 404);
        problem(given().get("/v1/jobs/" + UUID.randomUUID() + "/more").then(), 404);
    }

    @Test
    void wrongMethodIsNotAllowed() {
        // Quarkus REST sends its 405 without an Allow header, so there is none to check
        problem(given().delete("/v1/jobs/" + UUID.randomUUID()).then(), 405);
        problem(given().contentType(ContentType.JSON).body("{}").put("/v1/jobs").then(), 405);
    }

    @Test
    void bodyThatIsNotJsonByItsTypeIsUnsupported() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
            problem(given().contentType(type).body("{\"prompt\":\"p\"}").post("/v1/jobs").then(), 415)
                    .body("detail", containsString("application/json"));
        }
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String prompt = "a".repeat(1024 * 1024 + 1);
        problem(given().contentType(ContentType.JSON).body("{\"prompt\":\"" + prompt + "\"}").post("/v1/jobs").then(), 413);
    }

    /** Quarkus REST ends this 413 itself, with no body, while it reads the stream: only the status is ours to check. */
    @Test
    void chunkedBodyOverTheLimitIsTooLarge() throws Exception {
        byte[] body = ("{\"prompt\":\"" + "a".repeat(1024 * 1024 + 1) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(jobsUri)
                .header("Content-Type", "application/json")
                // a publisher of unknown length makes the client send the body chunked, with no Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
    }

    @Test
    void bodyWithoutContentTypeIsUnsupported() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(jobsUri)
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"p\"}"))
                .build();

        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(415, r.statusCode(), r.body());
        assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void malformedJsonNamesNoField() {
        problem(given().contentType(ContentType.JSON).body("{\"prompt\":").post("/v1/jobs").then(), 400)
                .body("field", nullValue())
                .body("detail", startsWith("malformed JSON"));
        problem(given().contentType(ContentType.JSON).post("/v1/jobs").then(), 400).body("field", nullValue());
    }

    @Test
    void problemTypeIsAnAbsoluteUri() {
        problem(given().contentType(ContentType.JSON).body("[]").post("/v1/jobs").then(), 400)
                .body("type", startsWith("https://"));
    }

    private static String submit() {
        return given().contentType(ContentType.JSON).body("{\"prompt\":\"problems\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status) {
        return r.statusCode(status)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("status", equalTo(status))
                .body("title", notNullValue());
    }
}
