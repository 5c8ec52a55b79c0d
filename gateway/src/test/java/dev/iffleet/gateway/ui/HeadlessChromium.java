package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts the system's Debian Chromium and ChromeDriver headless. Both paths are explicit, so Selenium Manager is
 * never consulted and nothing is downloaded; a missing browser fails the test, because CI installs it.
 */
final class HeadlessChromium {

    static final File BROWSER = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    static ChromeDriver start() {
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            fail("the web page test needs Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run does this)");
        }
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.getPath());
        Path profile;
        try {
            profile = Files.createTempDirectory("if-fleet-chromium");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory for the browser profile", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        // the background-networking flags keep Chromium off the network, which this machine closes
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,1024", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
