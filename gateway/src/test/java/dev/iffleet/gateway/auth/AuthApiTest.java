package dev.iffleet.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.LogCapture;
import dev.iffleet.gateway.SecuredGateway;
import dev.iffleet.gateway.api.Problem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With fleet.auth.enabled, /v1 needs a known key, and submissions stay within the key's rate and job quota. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class AuthApiTest {

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    private String lastName;
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void captureLogs() {
        logs.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.stop();
    }

    @Test
    void noKeyIsRefusedWithAProblem() {
        given().get("/v1/jobs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("status", equalTo(401));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void unknownKeyIsRefusedAndNeverEchoed() {
        String forged = ApiKeys.generate();
        String body = given().header("Authorization", "Bearer " + forged).contentType(ContentType.JSON)
                .body("{\"prompt\":\"x\"}")
                .post("/v1/jobs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .extract().asString();
        assertFalse(body.contains(forged), body);
        given().header("Authorization", "Bearer not-a-key").get("/v1/jobs").then().statusCode(401);
        logs.assertNoLineShows(forged);
    }

    @Test
    void knownKeySubmitsAndReads() {
        String key = create(OptionalInt.of(100), OptionalInt.of(100));
        String id = submit(key).then().statusCode(202).extract().path("id");
        given().header("Authorization", "Bearer " + key).get("/v1/jobs/" + id).then().statusCode(200);
        logs.assertNoLineShows(key);
    }

    @Test
    void submissionsOverTheRateAreRefusedUntilTheNextMinute() throws InterruptedException {
        String key = create(OptionalInt.of(3), OptionalInt.of(100));
        long intoMinute = System.currentTimeMillis() % RateWindow.LENGTH_MS;
        if (intoMinute > RateWindow.LENGTH_MS - 10_000) {
            Thread.sleep(RateWindow.LENGTH_MS - intoMinute + 100); // all four in one window
        }
        for (int i = 0; i < 3; i++) {
            submit(key).then().statusCode(202);
        }
        Response refused = submit(key);
        refused.then()
                .statusCode(429)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("code", equalTo("rate_limited"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertFalse(refused.asString().contains(key));
        given().header("Authorization", "Bearer " + key).get("/v1/jobs").then().statusCode(200); // reads are not limited
        logs.assertNoLineShows(key);
    }

    @Test
    void aSecondJobOverTheQuotaWaitsForTheFirstToEnd() {
        String key = create(OptionalInt.of(100), OptionalInt.of(1));
        String first = submit(key).then().statusCode(202).extract().path("id");
        Response refused = submit(key);
        refused.then()
                .statusCode(429)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("code", equalTo("quota_exceeded"));
        assertEquals("5", refused.header("Retry-After"));

        given().header("Authorization", "Bearer " + key).post("/v1/jobs/" + first + "/cancel").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"prompt\":\"after\"}")
                .put("/v1/jobs/quota-" + UUID.randomUUID())
                .then().statusCode(202);
        submit(key).then().statusCode(429); // the PUT job is the one unfinished job now
        assertTrue(logs.lines().stream().anyMatch(l -> l.contains(lastName)), "refusals are logged by the key's name");
        logs.assertNoLineShows(key);
    }

    @Test
    void parallelSubmissionsNeverPassTheQuota() throws Exception {
        String key = create(OptionalInt.of(100), OptionalInt.of(3));
        int parallel = 12;
        List<Integer> codes = AllAtOnce.run(parallel, () -> submit(key).statusCode());
        assertEquals(3, codes.stream().filter(c -> c == 202).count(), codes.toString());
        assertEquals(parallel - 3, codes.stream().filter(c -> c == 429).count(), codes.toString());
        List<String> held = redis.text().zrange(new AuthKeys(jobs.keys().prefix()).quota(ApiKeys.hash(key)), 0, -1);
        assertEquals(3, held.size(), held.toString());
        assertTrue(held.stream().allMatch(id -> jobs.find(id).isPresent()), "the places are held by the three jobs");
    }

    @Test
    void aRefusedSubmissionGivesItsPlaceBack() {
        String key = create(OptionalInt.of(100), OptionalInt.of(1));
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body("{\"prompt\":\"\"}")
                .post("/v1/jobs").then().statusCode(400);
        submit(key).then().statusCode(202);
        submit(key).then().statusCode(429);
    }

    private String create(OptionalInt rate, OptionalInt concurrent) {
        ApiKeyStore store = new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix()));
        lastName = "test-" + UUID.randomUUID();
        return store.create(lastName, rate, concurrent, System.currentTimeMillis()).key();
    }

    private static Response submit(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"prompt\":\"a quota test " + UUID.randomUUID() + "\",\"output_size\":64}")
                .post("/v1/jobs");
    }
}
