package dev.iffleet.gateway.events;

import static dev.iffleet.gateway.events.LiveEvents.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/jobs/{id}/events}: history for late subscribers, live events, the end, resumption. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class JobEventsStreamTest {

    /** One received SSE event. */
    record Sse(String id, String name, JsonNode data) {}

    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventHistory history;

    @Inject
    RedisStore redis;

    @Test
    void lateSubscriberGetsHistoryThenLiveEventsUntilCompleted() throws Exception {
        LiveEvents.awaitConsumer();
        String id = LiveEvents.submitJob();
        send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_COMPLETED, 2));
        send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_STARTED, 3));
        send(JobEvent.progress(id, Stage.STAGE1, 1, 10, 4));
        awaitHistory(id, 4);

        List<Sse> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Void>> done = open(id, null, seen);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_COMPLETED, 5));
        send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.SUCCEEDED, 6));
        send(JobEvent.of(id, Stage.SR, JobEvent.Type.STAGE_STARTED, 7)); // after the end: never streamed

        assertEquals(200, done.get(30, TimeUnit.SECONDS).statusCode(), "the stream ends after completed");
        assertEquals(List.of("stage.started", "stage.completed", "stage.started", "progress", "stage.completed", "completed"),
                seen.stream().map(Sse::name).toList());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), seen.stream().map(Sse::id).toList());
        assertEquals(1, seen.get(3).data().get("step").asInt());
        assertEquals(10, seen.get(3).data().get("total").asInt());
        assertEquals("stage1", seen.get(3).data().get("stage").asText());
        assertEquals("/v1/jobs/" + id + "/images/stage1.png", seen.get(4).data().get("preview_url").asText());
        assertEquals(false, seen.get(1).data().has("preview_url"), "the encoder has no image");
        assertEquals(true, seen.get(5).data().has("images"));
    }

    @Test
    void lastEventIdResumesAfterThatEvent() throws Exception {
        LiveEvents.awaitConsumer();
        String id = LiveEvents.submitJob();
        send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_STARTED, 1));
        send(JobEvent.of(id, Stage.ENCODE, JobEvent.Type.STAGE_COMPLETED, 2));
        send(JobEvent.failed(id, Stage.STAGE1, "out of memory", 3));
        awaitHistory(id, 3);

        List<Sse> seen = new CopyOnWriteArrayList<>();
        open(id, "0", seen).get(30, TimeUnit.SECONDS);
        assertEquals(List.of("1", "2"), seen.stream().map(Sse::id).toList());
        assertEquals(List.of("stage.completed", "failed"), seen.stream().map(Sse::name).toList());
        assertEquals("out of memory", seen.get(1).data().get("message").asText());
    }

    @Test
    void progressIsKeptAtMostTwiceASecond() {
        LiveEvents.awaitConsumer();
        String id = LiveEvents.submitJob();
        for (int step = 1; step <= 5; step++) {
            send(JobEvent.progress(id, Stage.SR, step, 10, step));
        }
        send(JobEvent.progress(id, Stage.SR, 10, 10, 11)); // the last step is always kept
        send(JobEvent.of(id, Stage.SR, JobEvent.Type.STAGE_COMPLETED, 12));
        await().atMost(Duration.ofSeconds(30)).until(() -> history.from(id, 0).stream().anyMatch(e -> e.contains("stage.completed")));
        List<String> kept = history.from(id, 0);
        assertEquals(true, kept.size() <= 4, kept.toString());
        assertEquals(true, kept.get(kept.size() - 2).contains("\"step\":10"), kept.toString());
        assertEquals(true, redis.text().pttl(history.key(id)) > 0, "the history expires with the job");
    }

    @Test
    void unknownJobIsA404Problem() {
        given().get("/v1/jobs/00000000-0000-0000-0000-000000000000/events")
                .then().statusCode(404).contentType(startsWith("application/problem+json")).body("status", equalTo(404));
    }

    private void awaitHistory(String id, int size) {
        await().atMost(Duration.ofSeconds(30)).until(() -> history.from(id, 0).size() >= size);
    }

    private CompletableFuture<HttpResponse<Void>> open(String id, String lastEventId, List<Sse> sink) {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("/v1/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        List<String> block = new ArrayList<>();
        return http.sendAsync(req.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (!line.isEmpty()) {
                    block.add(line);
                    return;
                }
                if (block.isEmpty()) {
                    return;
                }
                String evId = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String l : block) {
                    if (l.startsWith("id:")) {
                        evId = l.substring(3).trim();
                    } else if (l.startsWith("event:")) {
                        name = l.substring(6).trim();
                    } else if (l.startsWith("data:")) {
                        data.append(l.substring(5).trim());
                    }
                }
                block.clear();
                if (!data.isEmpty()) { // a block of comments only (the keep-alive) is no event
                    sink.add(new Sse(evId, name, Json.read(data.toString(), JsonNode.class)));
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        }));
    }
}
