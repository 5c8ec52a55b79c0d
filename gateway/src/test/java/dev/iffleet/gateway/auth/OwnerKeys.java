package dev.iffleet.gateway.auth;

import static dev.iffleet.gateway.events.LiveEvents.as;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.restassured.http.ContentType;
import java.util.OptionalInt;
import java.util.UUID;

/** Test helpers for job ownership: fresh keys without limits, and a small job submitted with one. */
final class OwnerKeys {

    private OwnerKeys() {}

    /** A new key with no rate limit and no job quota. */
    static String create(RedisStore redis, JobStore jobs) {
        return new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix()))
                .create("owner-" + UUID.randomUUID(), OptionalInt.of(0), OptionalInt.of(0), System.currentTimeMillis())
                .key();
    }

    static String submit(String key) {
        return as(key).contentType(ContentType.JSON).body(body("owned " + UUID.randomUUID()))
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    static String body(String prompt) {
        return "{\"prompt\":\"" + prompt + "\",\"output_size\":64}";
    }
}
