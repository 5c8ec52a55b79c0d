package dev.iffleet.gateway.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.SecuredGateway;
import dev.iffleet.gateway.auth.ApiKeyStore;
import dev.iffleet.gateway.auth.AuthKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An idle event stream sends {@code : keep-alive} every {@code fleet.events.keep-alive} (1 s in this profile). */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class SseKeepAliveTest {

    /** One line of the stream and when it came. */
    record Line(long at, String text) {}


    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @Test
    void anIdleStreamSendsAKeepAliveCommentEveryInterval() throws Exception {
        String key = new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix()))
                .create("keep-alive-" + UUID.randomUUID(), OptionalInt.empty(), OptionalInt.of(0), System.currentTimeMillis())
                .key();
        LiveEvents.awaitConsumer(key);
        String id = LiveEvents.submitJob(key);
        List<Line> lines = new CopyOnWriteArrayList<>();
        long opened = System.currentTimeMillis();
        CompletableFuture<HttpResponse<Void>> done = open(id, key, lines);

        await().atMost(Duration.ofSeconds(10)).until(() -> keepAlives(lines).size() >= 3);
        List<Line> pings = keepAlives(lines);
        assertTrue(pings.get(0).at() - opened >= SecuredGateway.KEEP_ALIVE_MS - 100, "not before the interval");
        for (int i = 1; i < pings.size(); i++) {
            long gap = pings.get(i).at() - pings.get(i - 1).at();
            assertTrue(gap >= SecuredGateway.KEEP_ALIVE_MS - 300 && gap <= 3 * SecuredGateway.KEEP_ALIVE_MS,
                    "keep-alive gap " + gap + " ms");
        }

        LiveEvents.send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.SUCCEEDED, 1));
        assertEquals(200, done.get(30, TimeUnit.SECONDS).statusCode());
        assertTrue(lines.stream().anyMatch(l -> l.text().matches("event: ?completed")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.text().startsWith(":") && !l.text().equals(": keep-alive")),
                "no other comment: " + lines);
    }

    private static List<Line> keepAlives(List<Line> lines) {
        return lines.stream().filter(l -> l.text().equals(": keep-alive")).toList();
    }

    private CompletableFuture<HttpResponse<Void>> open(String id, String key, List<Line> sink) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + key)
                .build();
        return HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                sink.add(new Line(System.currentTimeMillis(), line));
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        }));
    }
}
