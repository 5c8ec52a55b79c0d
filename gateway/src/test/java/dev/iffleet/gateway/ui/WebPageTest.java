package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.events.LiveEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page at {@code /} in headless Chromium: it submits a job, then follows the events that the test sends
 * in place of the workers (progress bar, preview, downloads, history), and shows the API's problem detail.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class WebPageTest extends InBrowser {

    @Test
    void followsAJobFromSubmitToDownload() throws IOException {
        LiveEvents.awaitConsumer();
        browser.get(page.toString());
        StageOneJobFlow.run(browser, redis, jobs);
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

    @Test
    void uploadsAnImageAndMaskForInpaintingAndShowsStage1Previews() throws IOException {
        Path image = Files.createTempFile("web-image", ".png");
        Path mask = Files.createTempFile("web-mask", ".png");
        ImageIO.write(new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        ImageIO.write(new BufferedImage(40, 32, BufferedImage.TYPE_BYTE_GRAY), "png", mask.toFile());
        LiveEvents.awaitConsumer();
        browser.get(page.toString());
        new Select(browser.findElement(By.id("mode"))).selectByValue("inpainting");
        waitFor().until(d -> d.findElement(By.id("mask-file")).isDisplayed());
        browser.findElement(By.id("image-file")).sendKeys(image.toString());
        browser.findElement(By.id("mask-file")).sendKeys(mask.toString());
        browser.findElement(By.id("prompt")).sendKeys("a door");
        browser.findElement(By.id("strength")).sendKeys("0.9");
        browser.findElement(By.id("live-preview")).click();
        new Select(browser.findElement(By.id("output-size"))).selectByValue("64");
        browser.findElement(By.id("submit")).click();

        String id = waitFor().until(d -> {
            String shown = d.findElement(By.id("job-id")).getText();
            return shown.isEmpty() ? null : shown;
        });
        io.restassured.RestAssured.given().get("/v1/jobs/" + id).then().statusCode(200)
                .body("params.mode", org.hamcrest.Matchers.equalTo("inpainting"))
                .body("params.width", org.hamcrest.Matchers.equalTo(80))
                .body("params.stage1.strength", org.hamcrest.Matchers.equalTo(0.9f))
                .body("params.stage1.preview_every", org.hamcrest.Matchers.equalTo(5));
        io.restassured.RestAssured.given().get("/v1/jobs/" + id + "/inputs/mask.png").then().statusCode(200);

        // what the stage1 worker does at a preview step: store the x0 image, announce it
        redis.putBytes(jobs.keys().artifact(id, Stage.STAGE1, Outputs.PREVIEW), png(80, 64), Duration.ofMinutes(5));
        LiveEvents.send(JobEvent.preview(id, Stage.STAGE1, 5, 50, System.currentTimeMillis()));
        WebElement preview = browser.findElement(By.id("preview-stage1"));
        waitFor().until(d -> preview.isDisplayed()
                && String.valueOf(preview.getDomAttribute("data-url")).contains("/images/stage1/preview.png"));
        assertEquals("5/50 (10%)", browser.findElement(By.id("count-stage1")).getText());
    }

    private static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static WebDriverWait waitFor() {
        return StageOneJobFlow.waitFor(browser);
    }
}
