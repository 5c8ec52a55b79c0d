package dev.iffleet.gateway.ui;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.chrome.ChromeDriver;

/** Base of the web page tests: one headless Chromium per test class, the page's URL and the gateway's stores. */
abstract class InBrowser {

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }
}
