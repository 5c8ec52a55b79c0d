package dev.iffleet.gateway.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.KafkaProbe;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;

/**
 * Test helpers: submit a job, send events in the workers' place (through one producer for the whole test JVM) and
 * wait until the gateway consumes {@code if.events} (it starts at the latest offset). The variants with an API key
 * are for a gateway with {@code fleet.auth.enabled}.
 */
public final class LiveEvents {

    private static KafkaProbe kafka;

    private LiveEvents() {}

    /** The shared producer, made on first use and closed when the JVM exits (as the shared dev stack is). */
    public static synchronized KafkaProbe kafka() {
        if (kafka == null) {
            KafkaProbe probe = new KafkaProbe(DevStack.shared().bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(probe::close, "live-events-close"));
            kafka = probe;
        }
        return kafka;
    }

    public static String submitJob() {
        return submitJob(null);
    }

    public static String submitJob(String apiKey) {
        return as(apiKey).contentType(ContentType.JSON).body("{\"prompt\":\"events\"}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
    }

    public static void awaitConsumer() {
        awaitConsumer(null);
    }

    /** Returns once an event sent now is applied; events sent after it (same partition or not) will be consumed. */
    public static void awaitConsumer(String apiKey) {
        String probe = submitJob(apiKey);
        String event = Json.write(JobEvent.progress(probe, Stage.STAGE1, 1, 2, System.currentTimeMillis()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka().send(Topics.DEFAULT.events(), probe, event);
            as(apiKey).get("/v1/jobs/" + probe).then().statusCode(200).body("progress.step", equalTo(1));
        });
    }

    public static void send(JobEvent e) {
        kafka().send(Topics.DEFAULT.events(), e.jobId(), Json.write(e));
    }

    /** A request that carries {@code Authorization: Bearer <apiKey>}, or none when the key is null. */
    public static RequestSpecification as(String apiKey) {
        return apiKey == null ? given() : given().header("Authorization", "Bearer " + apiKey);
    }
}
