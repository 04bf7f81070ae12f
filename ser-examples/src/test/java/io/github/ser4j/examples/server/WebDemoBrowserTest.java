package io.github.ser4j.examples.server;

import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.Browser;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the demo page in headless Chromium: upload, error display and browser-microphone recording (Chromium's fake
 * capture device), on the transparent fake model (p(loud) = min(1, 2 rms)). Skipped when Chromium or chromedriver is
 * not installed.
 */
class WebDemoBrowserTest {
    @TempDir
    static Path dir;
    private static FakeServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Browser.chromium().isPresent() && Browser.chromedriver().isPresent(),
                "browser test skipped: install Chromium and chromedriver (Debian: apt-get install chromium "
                        + "chromium-driver) or set SER4J_CHROMIUM and SER4J_CHROMEDRIVER");
        server = FakeServer.start(false, 1, 0.5, 5_000_000, 60, 2);
        browser = Browser.start(Files.createDirectories(dir.resolve("profile")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static void open() {
        browser.get(server.uri().toString());
        await().until(d -> d.findElement(By.id("model")).getText().startsWith("fake"));
    }

    private static String finalState(WebDriver d) {
        String s = d.findElement(By.id("result")).getAttribute("data-state");
        return "done".equals(s) || "error".equals(s) ? s : null;
    }

    @Test
    void uploadShowsLabelProbabilitiesAndTimeline() throws Exception {
        open();
        Path clip = Wav.write(dir.resolve("loud.wav"), Wav.sine(0.5, 440, 2.0, 16000), 16000, 1);
        browser.findElement(By.id("file")).sendKeys(clip.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState), browser.findElement(By.id("error"))
                .getText());
        assertEquals("loud", browser.findElement(By.id("label")).getText());
        WebElement loudBar = browser.findElement(By.cssSelector("#prob-chart rect.bar[data-label='loud']"));
        assertEquals(Math.sqrt(2) * 0.5, Double.parseDouble(loudBar.getAttribute("data-p")), 1e-3);
        double loudWidth = Double.parseDouble(loudBar.getAttribute("width"));
        double calmWidth = Double.parseDouble(browser.findElement(
                By.cssSelector("#prob-chart rect.bar[data-label='calm']")).getAttribute("width"));
        assertTrue(loudWidth > 2 * calmWidth, "bar lengths follow the probabilities");
        // 2 s, windows of 1 s every 0.5 s: segments start at 0, 0.5 and 1.0.
        List<WebElement> segments = browser.findElements(By.cssSelector("#timeline-chart rect.segment"));
        assertEquals(3, segments.size());
        assertTrue(browser.findElement(By.id("timeline-block")).isDisplayed());
        assertEquals(2, browser.findElements(By.cssSelector("#timeline-chart polyline.line")).size());
    }

    @Test
    void unsupportedFileShowsTheServersError() throws Exception {
        open();
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not audio at all");
        browser.findElement(By.id("file")).sendKeys(text.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("error", await().until(WebDemoBrowserTest::finalState));
        String error = browser.findElement(By.id("error")).getText();
        assertTrue(error.startsWith("Error 415"), error);
    }

    @Test
    void recordingFromTheMicrophoneIsEncodedAsWavAndAnalysed() throws InterruptedException {
        open();
        browser.findElement(By.id("record")).click();
        await().until(d -> d.findElement(By.id("record")).getText().contains("Stop"));
        Thread.sleep(2000);
        browser.findElement(By.id("record")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState), browser.findElement(By.id("error"))
                .getText());
        // Chromium's fake microphone plays a loud beep: the recording must reach the model intact.
        String duration = browser.findElement(By.id("duration")).getText();
        double seconds = Double.parseDouble(duration.replaceAll("[^0-9.]", ""));
        assertTrue(seconds > 1.0 && seconds < 5.0, duration);
        assertTrue(List.of("calm", "loud").contains(browser.findElement(By.id("label")).getText()));
        assertTrue(browser.findElement(By.id("playback")).getAttribute("src").startsWith("blob:"));
    }
}
