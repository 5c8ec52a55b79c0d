package dev.iffleet.gateway.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.events.LiveEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end in the gateway: an event on {@code if.events} reaches a real receiver on loopback
 * (allow-listed in the test profile), signed, retried on the compressed test schedule (0 s, 1 s, 1 s).
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class WebhookDeliveryTest {


    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @ConfigProperty(name = "fleet.webhooks.secrets")
    List<String> secrets;

    @Test
    void retriesAfter500sWithTheSameSignedWebhookId() {
        try (Receiver receiver = new Receiver(500, 500, 200)) {
            String id = jobWithWebhook(receiver.url("/hook"));
            LiveEvents.send(JobEvent.of(id, Stage.SR, JobEvent.Type.SUCCEEDED, 1));

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 3);
            WebhookVerifier verifier = new WebhookVerifier(secrets);
            List<String> ids = receiver.received().stream().map(r -> {
                verifier.verify(r.headers(), r.body());
                return r.headers().get("webhook-id");
            }).distinct().toList();
            assertEquals(1, ids.size(), "every retry carries the same webhook-id");
            JsonPath body = JsonPath.from(receiver.received().get(0).body());
            assertEquals("completed", body.getString("type"));
            assertEquals(id, body.getString("data.job_id"));

            JsonPath deliveries = awaitStatus(id, "delivered");
            assertEquals(ids.get(0), deliveries.getString("deliveries[0].id"));
            assertEquals("completed", deliveries.getString("deliveries[0].event"));
            assertEquals(3, deliveries.getInt("deliveries[0].attempts"));
            assertEquals(List.of(500, 500, 200), deliveries.getList("deliveries[0].attempt_log.code", Integer.class));
        }
    }

    @Test
    void goneStopsRetriesAndRedeliverSendsAgain() throws Exception {
        try (Receiver receiver = new Receiver(410)) {
            String id = jobWithWebhook(receiver.url("/hook"));
            LiveEvents.send(JobEvent.failed(id, Stage.STAGE1, "boom", 1));

            String delivery = awaitStatus(id, "gone").getString("deliveries[0].id");
            Thread.sleep(2_500); // longer than the rest of the test schedule
            assertEquals(1, receiver.received().size());

            given().post("/v1/jobs/" + id + "/deliveries/" + delivery + "/redeliver")
                    .then().statusCode(202).body("id", equalTo(delivery));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            assertEquals(delivery, receiver.received().get(1).headers().get("webhook-id"));
            awaitStatus(id, "delivered");
        }
    }

    @Test
    void webhookGivenAtSubmissionGetsTheEventsItsFilterAsksFor() {
        try (Receiver receiver = new Receiver(200, 200, 200)) {
            LiveEvents.awaitConsumer();
            String id = given().contentType("application/json")
                    .body("{\"prompt\": \"hooked\", \"webhook\": \"" + receiver.url("/hook")
                            + "\", \"webhook_events_filter\": [\"start\"]}")
                    .post("/v1/jobs").then().statusCode(202).extract().path("id");
            LiveEvents.send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
            LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_STARTED, 2));
            LiveEvents.send(JobEvent.of(id, Stage.UPSCALE, JobEvent.Type.SUCCEEDED, 3));

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            WebhookVerifier verifier = new WebhookVerifier(secrets);
            receiver.received().forEach(r -> verifier.verify(r.headers(), r.body()));
            List<String> types = receiver.received().stream()
                    .map(r -> JsonPath.from(r.body()).getString("type")).sorted().toList();
            assertEquals(List.of("completed", "stage.started"), types, "start of the job, then the terminal event");
        }
    }

    @Test
    void redirectIsNotFollowed() {
        try (Receiver receiver = new Receiver(302, 302, 302)) {
            String id = jobWithWebhook(receiver.url("/hook"));
            LiveEvents.send(JobEvent.of(id, Stage.SR, JobEvent.Type.SUCCEEDED, 1));

            JsonPath deliveries = awaitStatus(id, "failed");
            assertEquals(List.of(302, 302, 302), deliveries.getList("deliveries[0].attempt_log.code", Integer.class));
            assertEquals(List.of("/hook", "/hook", "/hook"), receiver.received().stream().map(Receiver.Received::path).toList());
        }
    }

    @Test
    void unknownJobOrDeliveryIsA404() {
        given().get("/v1/jobs/00000000-0000-0000-0000-000000000000/deliveries").then().statusCode(404);
        String id = LiveEvents.submitJob();
        given().get("/v1/jobs/" + id + "/deliveries").then().statusCode(200).body("deliveries.size()", equalTo(0));
        given().post("/v1/jobs/" + id + "/deliveries/msg_00000000000000000000000000000000/redeliver").then().statusCode(404);
    }

    private String jobWithWebhook(String url) {
        LiveEvents.awaitConsumer();
        String id = LiveEvents.submitJob();
        redis.text().hset(jobs.keys().job(id), WebhookDispatcher.URL_FIELD, url);
        return id;
    }

    private JsonPath awaitStatus(String id, String status) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = given().get("/v1/jobs/" + id + "/deliveries").then().statusCode(200).extract().jsonPath();
            return status.equals(last[0].getString("deliveries[0].status"));
        });
        return last[0];
    }
}
