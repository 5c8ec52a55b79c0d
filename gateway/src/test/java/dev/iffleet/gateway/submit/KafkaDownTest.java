package dev.iffleet.gateway.submit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.api.Problem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With no broker to take the encode message, a submit is refused with a 503 and leaves no job behind. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(KafkaDownTest.NoBroker.class)
class KafkaDownTest {

    /** Points only the encode channel at a port nothing listens on; Redis stays up. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.encode.bootstrap.servers", "127.0.0.1:1");
        }
    }

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Test
    void submitIsRefusedAndTheJobRemoved() {
        String marker = "unqueued " + UUID.randomUUID();

        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"" + marker + "\"}")
                .post("/v1/jobs")
                .then()
                .time(lessThan(15L), TimeUnit.SECONDS)
                .statusCode(503)
                .contentType(startsWith(Problem.MEDIA_TYPE))
                .body("status", equalTo(503))
                .body("title", equalTo("Queue unavailable"));

        assertTrue(redis.text().keys(jobs.keys().job("*")).stream()
                .filter(k -> redis.text().type(k).equals("hash"))
                .noneMatch(k -> String.valueOf(redis.text().hget(k, "params")).contains(marker)), "no job record is left");
    }
}
