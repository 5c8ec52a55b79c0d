package dev.iffleet.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.events.LiveEvents;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page's way through one job that ends at stage1 (64 px), with the test storing what the stage1 worker
 * stores and sending its events: submit, progress bar, preview, status, download, history. Shared by the page tests
 * of an open gateway and of one that needs an API key.
 */
final class StageOneJobFlow {

    private StageOneJobFlow() {}

    /** Runs the flow on the page already open in {@code browser}; returns the job's id. */
    static String run(ChromeDriver browser, RedisStore redis, JobStore jobs) throws IOException {
        String prompt = "a red circle " + UUID.randomUUID();
        browser.findElement(By.id("prompt")).sendKeys(prompt);
        new Select(browser.findElement(By.id("output-size"))).selectByValue("64");
        browser.findElement(By.id("submit")).click();

        String id = waitFor(browser).until(d -> {
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
        waitFor(browser).until(d -> d.findElement(By.id("count-stage1")).getText().startsWith("5/10"));
        WebElement bar = browser.findElement(By.id("bar-stage1"));
        assertEquals("5", bar.getDomProperty("value"));
        assertEquals("10", bar.getDomProperty("max"));
        assertEquals("running", browser.findElement(By.id("status")).getText());

        LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.STAGE_COMPLETED, now + 2));
        WebElement preview = browser.findElement(By.id("preview-stage1"));
        waitFor(browser).until(d -> preview.isDisplayed() && naturalWidth(browser, preview) > 0);
        assertEquals("/v1/jobs/" + id + "/images/stage1.png", preview.getDomAttribute("data-url"));
        assertEquals(64L, naturalWidth(browser, preview));

        jobs.succeeded(id, now + 3); // the last stage's worker records the end, then announces it
        LiveEvents.send(JobEvent.of(id, Stage.STAGE1, JobEvent.Type.SUCCEEDED, now + 3));
        waitFor(browser).until(d -> d.findElement(By.id("status")).getText().equals("succeeded"));
        WebElement download = waitFor(browser).until(d -> d.findElement(By.id("download-stage1")));
        assertEquals("/v1/jobs/" + id + "/images/stage1.png", download.getDomAttribute("data-url"));
        assertEquals(List.of(137L, 80L, 78L, 71L), firstBytes(browser, download.getDomProperty("href")), "a PNG file");

        WebElement row = waitFor(browser).until(d -> {
            WebElement r = d.findElement(By.id("history-" + id));
            return r.findElement(By.className("status")).getText().equals("succeeded") ? r : null;
        });
        assertTrue(row.getText().contains(prompt), row.getText());
        return id;
    }

    static WebDriverWait waitFor(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(NoSuchElementException.class);
        return wait;
    }

    private static long naturalWidth(ChromeDriver browser, WebElement img) {
        Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth;", img);
        return ((Number) w).longValue();
    }

    /** The first four bytes of what a link (an object URL) holds, read in the page. */
    @SuppressWarnings("unchecked")
    private static List<Long> firstBytes(ChromeDriver browser, String href) {
        return (List<Long>) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then((r) => r.arrayBuffer())"
                + ".then((b) => done(Array.from(new Uint8Array(b).slice(0, 4))), (e) => done(String(e)));", href);
    }

    private static byte[] png(int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
