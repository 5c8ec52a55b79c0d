package dev.iffleet.gateway.webhook;

import static dev.iffleet.gateway.events.LiveEvents.as;
import static dev.iffleet.gateway.webhook.Signatures.assertRefused;
import static dev.iffleet.gateway.webhook.Signatures.assertVerifies;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.LogCapture;
import dev.iffleet.gateway.SecuredGateway;
import dev.iffleet.gateway.auth.ApiKeyStore;
import dev.iffleet.gateway.auth.ApiKeys;
import dev.iffleet.gateway.auth.AuthKeys;
import dev.iffleet.gateway.events.LiveEvents;
import dev.iffleet.gateway.submit.JobOwner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With API keys on, a job records the key it was submitted with and its webhooks are signed with that key's secret,
 * looked up when each is sent: after a rotation both secrets sign until the overlap ends.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class KeyWebhookDeliveryTest {

    private static final Clock WALL = Clock.systemUTC();

    private final List<String> issued = new ArrayList<>();

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @ConfigProperty(name = "fleet.webhooks.secrets")
    List<String> gatewaySecrets;

    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void captureLogs() {
        logs.start();
    }

    @AfterEach
    void noLogShowsASecret() {
        logs.stop();
        issued.forEach(logs::assertNoLineShows);
    }

    @Test
    void theJobsOfTwoKeysAreSignedEachWithItsKeysSecret() {
        try (Receiver receiver = new Receiver()) {
            ApiKeyStore.IssuedKey a = issue();
            ApiKeyStore.IssuedKey b = issue();
            LiveEvents.awaitConsumer(a.key());
            String jobA = submitWithWebhook(a, receiver.url("/a"));
            String jobB = submitWithWebhook(b, receiver.url("/b"));
            assertEquals(ApiKeys.hash(a.key()), redis.text().hget(jobs.keys().job(jobA), JobOwner.FIELD));
            assertFalse(as(a.key()).get("/v1/jobs/" + jobA).asString().contains(ApiKeys.hash(a.key())),
                    "the job view does not show its key's id");

            LiveEvents.send(JobEvent.of(jobA, Stage.SR, JobEvent.Type.SUCCEEDED, 1));
            LiveEvents.send(JobEvent.of(jobB, Stage.SR, JobEvent.Type.SUCCEEDED, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);

            Receiver.Received toA = at(receiver, "/a");
            Receiver.Received toB = at(receiver, "/b");
            assertVerifies(toA, a.webhookSecret(), WALL);
            assertRefused(toA, b.webhookSecret(), WALL);
            assertRefused(toA, gatewaySecrets.get(0), WALL);
            assertVerifies(toB, b.webhookSecret(), WALL);
            assertRefused(toB, a.webhookSecret(), WALL);
        }
    }

    @Test
    void afterARotationBothSecretsSignUntilTheOverlapEnds() throws InterruptedException {
        try (Receiver receiver = new Receiver()) {
            ApiKeyStore.IssuedKey a = issue();
            String name = store().findByKey(a.key()).orElseThrow().name();
            LiveEvents.awaitConsumer(a.key()); // then an event reaches a webhook within a second, well inside the overlap
            long rotatedAt = System.currentTimeMillis();
            Duration overlap = Duration.ofSeconds(5);
            String fresh = store().rotateWebhookSecret(name, rotatedAt, overlap).orElseThrow();
            issued.add(fresh);

            String during = submitWithWebhook(a, receiver.url("/during"));
            LiveEvents.send(JobEvent.of(during, Stage.SR, JobEvent.Type.SUCCEEDED, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
            Receiver.Received both = receiver.received().get(0);
            assertEquals(2, Signatures.count(both));
            assertVerifies(both, fresh, WALL);
            assertVerifies(both, a.webhookSecret(), WALL);

            Thread.sleep(Math.max(0, rotatedAt + overlap.toMillis() - System.currentTimeMillis() + 100));
            String after = submitWithWebhook(a, receiver.url("/after"));
            LiveEvents.send(JobEvent.of(after, Stage.SR, JobEvent.Type.SUCCEEDED, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            Receiver.Received one = at(receiver, "/after");
            assertEquals(1, Signatures.count(one));
            assertVerifies(one, fresh, WALL);
            assertRefused(one, a.webhookSecret(), WALL);
        }
    }

    private ApiKeyStore store() {
        return new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix()));
    }

    private ApiKeyStore.IssuedKey issue() {
        ApiKeyStore.IssuedKey k = store().create("hooks-" + UUID.randomUUID(), OptionalInt.empty(), OptionalInt.of(0),
                System.currentTimeMillis());
        issued.addAll(List.of(k.key(), k.webhookSecret()));
        return k;
    }

    private static String submitWithWebhook(ApiKeyStore.IssuedKey owner, String url) {
        return as(owner.key()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"signed per key\", \"webhook\": \"" + url + "\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private static Receiver.Received at(Receiver receiver, String path) {
        return receiver.received().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }
}
