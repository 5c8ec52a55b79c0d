package dev.iffleet.gateway.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.devstack.KafkaProbe;
import io.restassured.http.ContentType;
import java.time.Duration;

/** Test helpers: submit a job, and wait until the gateway consumes {@code if.events} (it starts at the latest offset). */
public final class LiveEvents {

    private LiveEvents() {}

    public static String submitJob() {
        return given().contentType(ContentType.JSON).body("{\"prompt\":\"events\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    /** Returns once an event sent now is applied; events sent after it (same partition or not) will be consumed. */
    public static void awaitConsumer(KafkaProbe kafka) {
        String probe = submitJob();
        String event = Json.write(JobEvent.progress(probe, Stage.STAGE1, 1, 2, System.currentTimeMillis()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka.send(Topics.EVENTS, probe, event);
            given().get("/v1/jobs/" + probe).then().statusCode(200).body("progress.step", equalTo(1));
        });
    }

    public static void send(KafkaProbe kafka, JobEvent e) {
        kafka.send(Topics.EVENTS, e.jobId(), Json.write(e));
    }
}
