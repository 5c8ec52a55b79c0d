package dev.iffleet.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.devstack.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Listing with cursors and state filter, idempotency keys and client ids, against real Kafka and Redis. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class JobListingApiTest {

    @Test
    void listIsNewestFirstWithCursorPagesAndAStateFilter() throws InterruptedException {
        String a = JobControlApiTest.submit("{\"prompt\":\"list a\"}");
        Thread.sleep(5);
        String b = JobControlApiTest.submit("{\"prompt\":\"list b\"}");
        Thread.sleep(5);
        String c = JobControlApiTest.submit("{\"prompt\":\"list c\"}");
        given().post("/v1/jobs/" + b + "/cancel").then().statusCode(200);

        Response first = given().get("/v1/jobs?limit=2").then().statusCode(200).extract().response();
        assertEquals(List.of(c, b), first.path("jobs.id"));
        String cursor = first.path("next_cursor");
        given().get("/v1/jobs?limit=1&cursor=" + cursor).then().statusCode(200).body("jobs[0].id", equalTo(a));

        given().get("/v1/jobs?state=canceled&limit=1").then().statusCode(200).body("jobs[0].id", equalTo(b));
        given().get("/v1/jobs?state=bogus").then().statusCode(400).body("field", equalTo("state"));
        given().get("/v1/jobs?cursor=%%%").then().statusCode(400);
    }

    @Test
    void parallelIdenticalRequestsWithOneKeyCreateOneJob() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String body = "{\"prompt\":\"once " + key + "\",\"output_size\":64}";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> calls = IntStream.range(0, 8).mapToObj(i -> pool.submit(() -> given()
                    .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/v1/jobs")
                    .then().extract().response())).toList();
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<Response> f : calls) {
                Response r = f.get();
                ids.add(r.path("id"));
                if (r.statusCode() == 202) {
                    created++;
                } else {
                    assertEquals(200, r.statusCode());
                    assertEquals("true", r.header("Idempotent-Replayed"));
                }
            }
            assertEquals(1, ids.size());
            assertEquals(1, created);
            String id = ids.iterator().next();
            try (KafkaProbe kafka = new KafkaProbe(DevStack.shared().bootstrapServers())) {
                assertEquals(1, kafka.await(Topics.DEFAULT.input(Stage.ENCODE), r -> id.equals(r.key()), 2, Duration.ofSeconds(5)).size());
            }
        } finally {
            pool.shutdownNow();
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body("{\"prompt\":\"other\"}")
                .post("/v1/jobs").then().statusCode(409);
    }

    @Test
    void putCreatesAJobUnderTheClientIdOnce() {
        String id = "client_" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"prompt\":\"mine\"}").put("/v1/jobs/" + id)
                .then().statusCode(202).body("id", equalTo(id));
        given().get("/v1/jobs/" + id).then().statusCode(200).body("id", equalTo(id));
        given().contentType(ContentType.JSON).body("{\"prompt\":\"mine\"}").put("/v1/jobs/" + id)
                .then().statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        given().contentType(ContentType.JSON).body("{\"prompt\":\"not mine\"}").put("/v1/jobs/" + id)
                .then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"prompt\":\"x\"}").put("/v1/jobs/bad.id")
                .then().statusCode(400).body("field", equalTo("client_id"));
    }
}
