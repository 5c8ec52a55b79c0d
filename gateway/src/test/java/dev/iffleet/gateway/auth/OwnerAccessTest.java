package dev.iffleet.gateway.auth;

import static dev.iffleet.gateway.events.LiveEvents.as;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.SecuredGateway;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** With API keys on, a job is its key's: to any other key each of its endpoints answers as for an unknown job. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class OwnerAccessTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    private static final String DELIVERY = "msg_" + "0".repeat(32);

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    /** Each per-job read, as a request of one key: path under /v1/jobs/{id}. */
    private static final List<String> READS = List.of("", "/events", "/images/stage1.png", "/images/stage1/0.png",
            "/images/stage1/preview.png", "/inputs/image.png", "/deliveries");

    @Test
    void anotherKeysJobIsUnknownOnEveryEndpoint() {
        String a = OwnerKeys.create(redis, jobs);
        String b = OwnerKeys.create(redis, jobs);
        String id = OwnerKeys.submit(a);
        storeImages(id);

        for (String read : READS) {
            assertUnknown(id, as(b).accept("*/*").get("/v1/jobs/" + id + read), read);
        }
        assertUnknown(id, as(b).post("/v1/jobs/" + id + "/cancel"), "cancel");
        assertUnknown(id, as(b).post("/v1/jobs/" + id + "/deliveries/" + DELIVERY + "/redeliver"), "redeliver");
        assertUnknown(id, as(b).header("Prefer", "wait=1").get("/v1/jobs/" + id), "get with Prefer: wait");

        assertEquals("queued", as(a).get("/v1/jobs/" + id).then().statusCode(200).extract().path("status"),
                "B's cancel did not touch the job");
    }

    @Test
    void theOwnerStillSeesEverythingOfItsJob() {
        String a = OwnerKeys.create(redis, jobs);
        String id = OwnerKeys.submit(a);
        storeImages(id);

        for (String image : List.of("/images/stage1.png", "/images/stage1/0.png", "/images/stage1/preview.png",
                "/inputs/image.png")) {
            assertArrayEquals(PNG, as(a).get("/v1/jobs/" + id + image).then().statusCode(200).extract().asByteArray(),
                    image);
        }
        assertEquals(List.of(), as(a).get("/v1/jobs/" + id + "/deliveries").then().statusCode(200)
                .extract().path("deliveries"));
        // the job's own 404 for a delivery it does not have, not the unknown-job one
        as(a).post("/v1/jobs/" + id + "/deliveries/" + DELIVERY + "/redeliver").then().statusCode(404);
        assertEquals("canceled", as(a).post("/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .extract().path("status"));
        String events = as(a).accept("text/event-stream").get("/v1/jobs/" + id + "/events")
                .then().statusCode(200).extract().asString();
        assertTrue(events.contains("canceled"), events);
    }

    @Test
    void anotherKeysJobAnswersWordForWordAsAnUnknownOne() {
        String a = OwnerKeys.create(redis, jobs);
        String b = OwnerKeys.create(redis, jobs);
        String id = OwnerKeys.submit(a);
        String unknown = "unknown-" + UUID.randomUUID();
        BiFunction<String, String, Map<String, Object>> problem = (key, job) -> as(key).get("/v1/jobs/" + job)
                .then().statusCode(404).extract().jsonPath().getMap("");
        Map<String, Object> other = problem.apply(b, id);
        Map<String, Object> none = problem.apply(b, unknown);
        assertEquals(none.get("detail").toString().replace(unknown, id), other.get("detail"));
        assertEquals(none.keySet(), other.keySet());
    }

    private void storeImages(String id) {
        Duration ttl = Duration.ofMinutes(5);
        redis.putBytes(jobs.keys().artifact(id, Stage.STAGE1, Outputs.png(0)), PNG, ttl);
        redis.putBytes(jobs.keys().artifact(id, Stage.STAGE1, Outputs.PREVIEW), PNG, ttl);
        redis.putBytes(jobs.keys().input(id, "image"), PNG, ttl);
    }

    private static void assertUnknown(String id, Response r, String what) {
        assertEquals(404, r.statusCode(), what + ": " + r.asString());
        assertEquals("no job " + id + " (unknown or expired)", r.jsonPath().getString("detail"), what);
    }
}
