package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.devstack.FleetTestResource;
import dev.iffleet.gateway.SecuredGateway;
import dev.iffleet.gateway.auth.ApiKeyStore;
import dev.iffleet.gateway.auth.ApiKeys;
import dev.iffleet.gateway.auth.AuthKeys;
import dev.iffleet.gateway.events.LiveEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web page against a gateway that needs an API key (and sends SSE keep-alives every second), in headless
 * Chromium: a 401 says what to do, the key given on the page goes with every request (the event stream, read with
 * fetch, included) and stays for the tab; the stream client resumes after the last whole event.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestProfile(SecuredGateway.class)
class WebPageAuthTest extends InBrowser {

    @BeforeEach
    void freshTab() {
        browser.get(page.toString());
        browser.executeScript("sessionStorage.clear();");
        browser.get(page.toString());
    }

    @Test
    void aJobRunsThroughThePageWithTheKeyGivenThere() throws IOException {
        String key = issue();
        LiveEvents.awaitConsumer(key);
        WebElement error = browser.findElement(By.id("error"));
        StageOneJobFlow.waitFor(browser).until(d -> error.isDisplayed());
        assertTrue(error.getText().contains("needs an API key"), error.getText());

        useKey(key);
        StageOneJobFlow.waitFor(browser).until(d -> !error.isDisplayed());
        String id = StageOneJobFlow.run(browser, redis, jobs);
        assertFalse(error.isDisplayed(), error.getText());

        browser.navigate().refresh();
        assertEquals(key, browser.findElement(By.id("api-key")).getDomProperty("value"), "kept for the tab");
        StageOneJobFlow.waitFor(browser).until(d -> d.findElement(By.id("history-" + id)).isDisplayed());
        assertFalse(browser.findElement(By.id("error")).isDisplayed());
    }

    @Test
    void aKeyTheGatewayDoesNotKnowIsSaidSo() {
        useKey(ApiKeys.generate());
        WebElement error = browser.findElement(By.id("error"));
        StageOneJobFlow.waitFor(browser).until(d -> error.isDisplayed());
        assertTrue(error.getText().contains("did not accept this API key"), error.getText());

        browser.findElement(By.id("forget-key")).click();
        browser.navigate().refresh();
        assertEquals("", browser.findElement(By.id("api-key")).getDomProperty("value"));
    }

    @Test
    void theEventStreamResumesAfterTheLastWholeEventWithTheKey() {
        String key = issue();
        useKey(key);
        String run = UUID.randomUUID().toString();
        Object got = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const events = [];"
                + "const stream = openEventStream('/test/flaky-events?run=' + arguments[0], {"
                + "  headers: authHeaders,"
                + "  onEvent: (name, data, id) => {"
                + "    events.push([name, data, id]);"
                + "    if (name === 'completed') { stream.close(); done(events); }"
                + "  },"
                + "});"
                + "setTimeout(() => { stream.close(); done(events); }, 15000);", run);

        assertEquals(List.of(
                List.of("progress", "{\"step\":1}", "0"),
                List.of("note", "first line\nsecond line", "1"),
                List.of("completed", "{}", "2")), got);
        assertEquals(List.of("null | Bearer " + key, "1 | Bearer " + key), FlakyEventsResource.CONNECTIONS.get(run),
                "it reconnected once, after event 1, with the key");
    }

    private void useKey(String key) {
        WebElement field = browser.findElement(By.id("api-key"));
        field.clear();
        field.sendKeys(key);
        browser.findElement(By.id("use-key")).click();
    }

    private String issue() {
        return new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix()))
                .create("page-" + UUID.randomUUID(), OptionalInt.empty(), OptionalInt.of(0), System.currentTimeMillis())
                .key();
    }
}
