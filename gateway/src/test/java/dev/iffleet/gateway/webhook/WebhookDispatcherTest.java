package dev.iffleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher against a real Redis: its schedule outlives the instance that made it. */
class WebhookDispatcherTest {

    private static final String SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLXRoZS1nYXRld2F5LXRlc3Rz";

    private final MutableClock clock = new MutableClock();
    private final Keys keys = new Keys("wh-" + UUID.randomUUID() + ":");
    private RedisStore redis;
    private Receiver receiver;

    @BeforeEach
    void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
    }

    @AfterEach
    void close() {
        redis.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aDeliveryScheduledByOneDispatcherIsDeliveredByAFreshOne() {
        receiver = new Receiver(200);
        String job = jobWithWebhook(receiver.url("/hook"), null);
        String id = dispatcher().enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();

        try (RedisStore other = new RedisStore(DevStack.shared().redisUri())) {
            WebhookDispatcher fresh = new WebhookDispatcher(other, keys, Duration.ofHours(1), settings(), clock);
            assertEquals(1, fresh.runDue());
        }
        assertEquals(1, receiver.received().size());
        assertEquals(id, receiver.received().get(0).headers().get("webhook-id"));
        Receiver.Received r = receiver.received().get(0);
        new WebhookVerifier(List.of(SECRET)).verify(r.headers(), r.body());
        assertEquals(Delivery.Status.DELIVERED, dispatcher().find(id).orElseThrow().status());
    }

    @Test
    void aDeliveryClaimedByADeadReplicaIsRetriedAfterItsLease() {
        receiver = new Receiver(200);
        String job = jobWithWebhook(receiver.url("/hook"), null);
        String id = dispatcher().enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.FAILED, 1)).orElseThrow();
        assertEquals(List.of(id), dispatcher().claimDue(10)); // claimed, then the replica dies mid-POST

        WebhookDispatcher fresh = dispatcher();
        assertEquals(0, fresh.runDue(), "still leased to the dead replica");
        clock.advance(Duration.ofSeconds(61));
        assertEquals(1, fresh.runDue());
        assertEquals(1, receiver.received().size());
        assertEquals(id, receiver.received().get(0).headers().get("webhook-id"));
    }

    @Test
    void onlyOneClaimWinsADueDelivery() {
        receiver = new Receiver();
        String job = jobWithWebhook(receiver.url("/hook"), null);
        String id = dispatcher().enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();
        assertEquals(List.of(id), dispatcher().claimDue(10));
        assertEquals(List.of(), dispatcher().claimDue(10));
    }

    @Test
    void filterPicksEventsButTerminalOnesAlwaysGo() {
        receiver = new Receiver();
        String job = jobWithWebhook(receiver.url("/hook"), "progress");
        WebhookDispatcher d = dispatcher();
        assertTrue(d.enqueue(JobEvent.progress(job, Stage.STAGE1, 1, 10, 1)).isPresent());
        assertTrue(d.enqueue(JobEvent.of(job, Stage.STAGE1, JobEvent.Type.STAGE_STARTED, 1)).isEmpty());
        assertTrue(d.enqueue(JobEvent.of(job, Stage.UPSCALE, JobEvent.Type.SUCCEEDED, 1)).isPresent());
        String other = jobWithWebhook(receiver.url("/hook"), "start");
        assertTrue(d.enqueue(JobEvent.of(other, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1)).isPresent());
        assertTrue(d.enqueue(JobEvent.of(other, Stage.SR, JobEvent.Type.STAGE_STARTED, 1)).isEmpty());
        assertTrue(d.enqueue(JobEvent.failed(other, Stage.SR, "boom", 1)).isPresent());
    }

    @Test
    void jobWithoutWebhookGetsNoDelivery() {
        String job = UUID.randomUUID().toString();
        redis.text().hset(keys.job(job), Map.of("state", "running"));
        assertTrue(dispatcher().enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.SUCCEEDED, 1)).isEmpty());
        assertEquals(0, dispatcher().runDue());
    }

    @Test
    void retryAfterSetsTheNextAttempt() {
        receiver = new Receiver(503, 200);
        String job = jobWithWebhook(receiver.url("/hook"), null);
        WebhookDispatcher d = dispatcher();
        String id = d.enqueue(JobEvent.of(job, Stage.SR, JobEvent.Type.SUCCEEDED, 1)).orElseThrow();
        assertEquals(1, d.runDue());
        assertEquals(Delivery.Status.PENDING, d.find(id).orElseThrow().status());
        assertEquals(503, d.find(id).orElseThrow().lastCode());
        assertEquals(0, d.runDue(), "the second attempt waits for the schedule");
        clock.advance(Duration.ofMillis(1_200));
        assertEquals(1, d.runDue());
        assertEquals(Delivery.Status.DELIVERED, d.find(id).orElseThrow().status());
        assertEquals(2, d.attempts(id).size());
    }

    private WebhookDispatcher dispatcher() {
        return new WebhookDispatcher(redis, keys, Duration.ofHours(1), settings(), clock);
    }

    private WebhookSettings settings() {
        return new WebhookSettings(List.of(SECRET), List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(5)),
                0.1, Duration.ofSeconds(5), Duration.ofSeconds(60), List.of("127.0.0.1"));
    }

    private String jobWithWebhook(String url, String events) {
        String job = UUID.randomUUID().toString();
        redis.text().hset(keys.job(job), Map.of("state", "running", WebhookDispatcher.URL_FIELD, url));
        if (events != null) {
            redis.text().hset(keys.job(job), WebhookDispatcher.EVENTS_FIELD, events);
        }
        return job;
    }
}
