package dev.iffleet.gateway.auth;

import static dev.iffleet.gateway.events.LiveEvents.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.SecuredGateway;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With API keys on, a key lists only its own jobs, and its idempotency keys and client ids are its own. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class OwnerClaimsTest {

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Test
    void aKeyListsOnlyItsOwnJobs() {
        String a = OwnerKeys.create(redis, jobs);
        String b = OwnerKeys.create(redis, jobs);
        String a1 = OwnerKeys.submit(a);
        String b1 = OwnerKeys.submit(b);
        String a2 = OwnerKeys.submit(a);

        assertEquals(List.of(a2, a1), listAll(a, null));
        assertEquals(List.of(b1), listAll(b, null));
        assertEquals(List.of(a2, a1), listAll(a, "queued"));
        assertEquals(List.of(), listAll(b, "running"));
    }

    @Test
    void theSameIdempotencyKeyUnderTwoKeysMakesTwoJobs() {
        String a = OwnerKeys.create(redis, jobs);
        String b = OwnerKeys.create(redis, jobs);
        String header = "same-" + UUID.randomUUID();
        String body = OwnerKeys.body("idempotent twins");

        String jobA = idempotent(a, header, body).then().statusCode(202).extract().path("id");
        String jobB = idempotent(b, header, body).then().statusCode(202).extract().path("id");
        assertNotEquals(jobA, jobB);

        Response replayA = idempotent(a, header, body);
        assertEquals(200, replayA.statusCode());
        assertEquals("true", replayA.header("Idempotent-Replayed"));
        assertEquals(jobA, replayA.path("id"));
        assertEquals(jobB, idempotent(b, header, body).then().statusCode(200).extract().path("id"));
        idempotent(b, header, OwnerKeys.body("another request")).then().statusCode(409);
        as(b).get("/v1/jobs/" + jobA).then().statusCode(404);
    }

    @Test
    void aClientIdOfAnotherKeysJobIsAConflictThatShowsNothingOfIt() {
        String a = OwnerKeys.create(redis, jobs);
        String b = OwnerKeys.create(redis, jobs);
        String clientId = "owned-" + UUID.randomUUID();
        String prompt = "a secret prompt " + UUID.randomUUID();

        put(a, clientId, OwnerKeys.body(prompt)).then().statusCode(202);
        Response same = put(b, clientId, OwnerKeys.body(prompt));
        assertEquals(409, same.statusCode(), same.asString());
        assertFalse(same.asString().contains(prompt), same.asString());
        assertEquals(null, same.header("Location"));
        put(b, clientId, OwnerKeys.body("something else")).then().statusCode(409);

        assertEquals(clientId, put(a, clientId, OwnerKeys.body(prompt)).then().statusCode(200).extract().path("id"));
        as(b).get("/v1/jobs/" + clientId).then().statusCode(404);
    }

    /** Every page of the key's listing, as job ids, newest first. */
    private static List<String> listAll(String key, String state) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var req = as(key).queryParam("limit", 100);
            if (state != null) {
                req = req.queryParam("state", state);
            }
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response page = req.get("/v1/jobs");
            page.then().statusCode(200);
            ids.addAll(page.jsonPath().getList("jobs.id", String.class));
            cursor = page.jsonPath().getString("next_cursor");
        } while (cursor != null);
        return ids;
    }

    private static Response idempotent(String key, String header, String body) {
        return as(key).header("Idempotency-Key", header).contentType(ContentType.JSON).body(body).post("/v1/jobs");
    }

    private static Response put(String key, String clientId, String body) {
        return as(key).contentType(ContentType.JSON).body(body).put("/v1/jobs/" + clientId);
    }
}
