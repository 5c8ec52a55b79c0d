package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.events.LiveEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page at {@code /} in headless Chromium: it submits a job, then follows the events that the test sends
 * in place of the workers (progress bar, preview, downloads, history), and shows the API's problem detail.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class WebPageTest {

    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @BeforeAll
    static void start() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void followsAJobFromSubmitToDownload() throws IOException {
        LiveEvents.awaitConsumer();
        browser.get(page.toString());
        String prompt = "a red circle " + UUID.randomUUID();
        browser.findElement(By.id("prompt")).sendKeys(prompt);
        new Select(browser.findElement(By.id("output-size"))).selectByValue("64");
        browser.findElement(By.id("submit")).click();

        String id = waitFor().until(d -> {
            String shown = d.findElement(By.id("job-id")).getText();
            return shown.isEmpty() ? null : shown;
        });
        assertEquals("queued", browser.findElement(By.id("status")).getText());
        long now = System.currentTimeMillis();
        // what the stage1 worker stores beside its events: the image and the stage's timing
        redis.putBytes(jobs.keys().artifact(id, Stage.STAGE1, "png"), png(64), Duration.ofMinutes(10));
        jobs.stageStarted(id, Stage.STAGE1, 0, "web-page-test", now);
        jobs.stageFinished(id, Stage.STAGE1, 2, 1, now + 2);

        LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_STARTED, now));
        LiveEvents.send(JobEvent.progress(id, Stage.STAGE1, 5, 10, now + 1));
        waitFor().until(d -> d.findElement(By.id("count-stage1")).getText().startsWith("5/10"));
        WebElement bar = browser.findElement(By.id("bar-stage1"));
        assertEquals("5", bar.getDomProperty("value"));
        assertEquals("10", bar.getDomProperty("max"));
        assertEquals("running", browser.findElement(By.id("status")).getText());

        LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_COMPLETED, now + 2));
        WebElement preview = browser.findElement(By.id("preview-stage1"));
        waitFor().until(d -> preview.isDisplayed() && naturalWidth(preview) > 0);
        assertTrue(preview.getDomProperty("src").endsWith("/v1/jobs/" + id + "/images/stage1.png"),
                preview.getDomProperty("src"));
        assertEquals(64L, naturalWidth(preview));

        jobs.succeeded(id, now + 3); // the last stage's worker records the end, then announces it
        LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.SUCCEEDED, now + 3));
        waitFor().until(d -> d.findElement(By.id("status")).getText().equals("succeeded"));
        WebElement download = waitFor().until(d -> d.findElement(By.id("download-stage1")));
        assertTrue(download.getDomProperty("href").endsWith("/v1/jobs/" + id + "/images/stage1.png"),
                download.getDomProperty("href"));

        WebElement row = waitFor().until(d -> {
            WebElement r = d.findElement(By.id("history-" + id));
            return r.findElement(By.className("status")).getText().equals("succeeded") ? r : null;
        });
        assertTrue(row.getText().contains(prompt), row.getText());
    }

    @Test
    void showsTheProblemDetailOfARefusedRequest() {
        browser.get(page.toString());
        browser.findElement(By.id("prompt")).sendKeys("a blue square");
        browser.findElement(By.id("steps-stage1")).sendKeys("5000");
        browser.findElement(By.id("submit")).click();
        WebElement error = browser.findElement(By.id("error"));
        waitFor().until(d -> error.isDisplayed());
        assertEquals("stage1.steps must be between 1 and 1000", error.getText());

        browser.findElement(By.id("steps-stage1")).clear();
        browser.findElement(By.id("prompt")).clear();
        browser.findElement(By.id("submit")).click();
        waitFor().until(d -> error.getText().equals("prompt is required and must not be blank"));
    }

    @Test
    void aJobsWebUrlOpensThePageFollowingThatJob() {
        String id = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"prompt\": \"linked\", \"output_size\": 256}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        String web = io.restassured.RestAssured.given().get("/v1/jobs/" + id).then().statusCode(200)
                .extract().path("urls.web");
        browser.get(page.toString().replaceAll("/$", "") + web);

        waitFor().until(d -> id.equals(d.findElement(By.id("job-id")).getText()));
        assertEquals("queued", browser.findElement(By.id("status")).getText());
    }

    private static WebDriverWait waitFor() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        return wait;
    }

    private static long naturalWidth(WebElement img) {
        Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth;", img);
        return ((Number) w).longValue();
    }

    private static byte[] png(int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
