package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.events.LiveEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
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

    private static WebDriverWait waitFor() {
        return StageOneJobFlow.waitFor(browser);
    }
}
