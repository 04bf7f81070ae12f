package io.github.ser4j.examples.server;

import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.Browser;
import io.github.ser4j.examples.testing.FakeRecognizer;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the demo page in headless Chromium: upload, drag and drop, sample clips, multipart upload from the page,
 * downloads, errors replacing results, browser-microphone recording with live segments (Chromium's fake capture
 * device) and phone widths, on the transparent fake model (p(loud) = min(1, 2 rms)). Screenshots go to
 * {@code target/screenshots/} for review. Skipped when Chromium or chromedriver is not installed.
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
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.get(server.uri().toString());
        await().until(d -> d.findElement(By.id("model")).getText().startsWith("fake"));
    }

    private static String finalState(WebDriver d) {
        String s = d.findElement(By.id("result")).getAttribute("data-state");
        return "done".equals(s) || "error".equals(s) ? s : null;
    }

    /** The denoise box starts at the server's setting (off) and each analysis sends its state as denoise=true|false. */
    @Test
    void denoiseBoxChoosesNoiseReductionPerRequest() throws Exception {
        open();
        WebElement box = browser.findElement(By.id("denoise"));
        assertTrue(box.isEnabled(), "this server lets requests choose");
        assertFalse(box.isSelected(), "the server's setting: off");
        Path clip = Wav.write(dir.resolve("denoise.wav"), Wav.sine(0.5, 440, 2.0, 16000), 16000, 1);
        FakeRecognizer plain = server.recognizers().get(0);
        int plainBefore = plain.recognitions();
        box.click();
        browser.findElement(By.id("file")).sendKeys(clip.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState), browser.findElement(By.id("error"))
                .getText());
        List<FakeRecognizer> all = server.recognizers();
        assertEquals(2, all.size(), "the denoising recogniser was opened for the request");
        FakeRecognizer denoising = all.get(1);
        assertTrue(denoising.options().denoise());
        assertTrue(denoising.recognitions() > 0);
        assertEquals(plainBefore, plain.recognitions(), "the plain recogniser saw nothing of it");

        int denoisingBefore = denoising.recognitions();
        open();
        browser.findElement(By.id("file")).sendKeys(clip.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState));
        assertTrue(plain.recognitions() > plainBefore, "box off (after a reload): the plain recogniser");
        assertEquals(denoisingBefore, denoising.recognitions());
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
        // the tiles of overlapping windows do not overlap, and the axes have titles
        for (int i = 0; i + 1 < segments.size(); i++) {
            assertTrue(Double.parseDouble(segments.get(i).getAttribute("data-end"))
                    <= Double.parseDouble(segments.get(i + 1).getAttribute("data-start")) + 1e-9);
        }
        String axes = browser.findElement(By.id("timeline-chart")).getText();
        assertTrue(axes.contains("time (s)") && axes.contains("probability"), axes);
        // the file is named with its result, the table lists the segments, the waveform is drawn
        assertEquals("loud.wav", browser.findElement(By.id("source")).getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("#segments-table tbody tr"));
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).getText().startsWith("0.50 1.50 loud"), rows.get(1).getText());
        assertTrue(browser.findElement(By.id("waveform")).isDisplayed());
        assertTrue(browser.findElement(By.id("playback")).getAttribute("src").startsWith("blob:"));
        // downloads: the JSON is the server's answer, the CSV one row per segment
        String json = download("download-json");
        assertTrue(json.contains("\"file\" : \"loud.wav\"") || json.contains("\"file\": \"loud.wav\""), json);
        assertTrue(browser.findElement(By.id("download-json")).getAttribute("download").endsWith(".json"));
        String[] csv = download("download-csv").split("\n");
        assertEquals("file,start_s,end_s,label,confidence,speech,calm,loud", csv[0]);
        assertEquals(4, csv.length, String.join("\n", csv));
        assertTrue(csv[2].startsWith("loud.wav,0.500,1.500,loud,"), csv[2]);
        screenshot("desktop-result");
    }

    /** WCAG 2 contrast ratio of an element's text colour on its background colour (both opaque here). */
    private static final String CONTRAST = "const s = getComputedStyle(arguments[0]);"
            + "const lum = (c) => { const v = c.match(/[0-9.]+/g).slice(0, 3).map(Number).map((x) => x / 255)"
            + ".map((x) => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));"
            + "return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };"
            + "const a = lum(s.color), b = lum(s.backgroundColor);"
            + "return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);";

    /** Clicks a download link and reads the file Chromium saves (the name the link gives). */
    private static String download(String id) throws Exception {
        WebElement link = browser.findElement(By.id(id));
        assertTrue(link.getAttribute("href").startsWith("blob:"), link.getAttribute("href"));
        Path downloads = Files.createDirectories(dir.resolve("downloads-" + id));
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toString()));
        link.click();
        Path file = downloads.resolve(link.getAttribute("download"));
        await().until(d -> Files.isRegularFile(file) && !Files.exists(Path.of(file + ".crdownload")));
        return Files.readString(file);
    }

    private static void screenshot(String name) throws java.io.IOException {
        Path out = Files.createDirectories(Path.of("target", "screenshots")).resolve("web-demo-" + name + ".png");
        // the whole page, not just the viewport
        List<?> size = (List<?>) browser.executeScript("return [document.documentElement.scrollWidth, "
                + "document.documentElement.scrollHeight];");
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get(0), "height",
                        size.get(1), "scale", 1)));
        Files.write(out, java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Test
    void anErrorReplacesThePreviousResult() throws Exception {
        open();
        Path clip = Wav.write(dir.resolve("first.wav"), Wav.sine(0.5, 440, 2.0, 16000), 16000, 1);
        browser.findElement(By.id("file")).sendKeys(clip.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState));
        Path text = Files.writeString(dir.resolve("broken.wav"), "not audio either");
        browser.findElement(By.id("file")).sendKeys(text.toString());
        browser.findElement(By.id("analyze")).click();
        assertEquals("error", await().until(WebDemoBrowserTest::finalState));
        assertTrue(browser.findElement(By.id("error")).getText().contains("broken.wav"));
        assertTrue(!browser.findElement(By.id("result")).isDisplayed(), "the earlier result is gone");
        assertEquals("", browser.findElement(By.id("label")).getAttribute("textContent"));
        assertEquals(0, browser.findElements(By.cssSelector("#segments-table tbody tr")).size());
        // and a success clears the error
        browser.findElement(By.cssSelector("button.sample[data-sample='calm']")).click();
        assertEquals("done", await().until(WebDemoBrowserTest::finalState));
        assertEquals("", browser.findElement(By.id("error")).getText());
        assertEquals("calm.wav", browser.findElement(By.id("source")).getText());
        assertEquals("", browser.findElement(By.id("file")).getAttribute("value"), "no stale file name");
    }

    @Test
    void droppedFilesAndSampleClipsAreAnalysed() throws Exception {
        open();
        // a drop event carrying a File, as the OS gives it to the page
        browser.executeScript("const wav = window.ser4j.encodeWav(new Float32Array(24000).map((_, i) => "
                + "0.5 * Math.sin(2 * Math.PI * 440 * i / 16000)), 16000);"
                + "const dt = new DataTransfer(); dt.items.add(new File([wav], 'dropped.wav', {type: 'audio/wav'}));"
                + "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, "
                + "bubbles: true, cancelable: true}));");
        assertEquals("done", await().until(WebDemoBrowserTest::finalState), browser.findElement(By.id("error"))
                .getText());
        assertEquals("dropped.wav", browser.findElement(By.id("source")).getText());
        assertEquals("loud", browser.findElement(By.id("label")).getText());
        assertEquals("1.50", browser.findElement(By.id("duration")).getText().replaceAll("[^0-9.]", ""));

        // by keyboard: Enter on the focused sample button
        browser.findElement(By.cssSelector("button.sample[data-sample='conversation']"))
                .sendKeys(org.openqa.selenium.Keys.ENTER);
        await().until(d -> "conversation.wav".equals(d.findElement(By.id("source")).getText()));
        assertEquals("done", await().until(WebDemoBrowserTest::finalState));
        double seconds = Double.parseDouble(browser.findElement(By.id("duration")).getText()
                .replaceAll("[^0-9.]", ""));
        assertEquals(Wav.durationSeconds(Path.of("samples", "conversation.wav")), seconds, 0.01);
        assertTrue(browser.findElement(By.id("spectrogram")).isDisplayed());
    }

    /** The page's own multipart upload (the browser's FormData encoder) is accepted like a raw body. */
    @Test
    void multipartUploadFromThePage() {
        open();
        Object label = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const wav = window.ser4j.encodeWav(new Float32Array(16000).map((_, i) => "
                + "0.5 * Math.sin(2 * Math.PI * 440 * i / 16000)), 16000);"
                + "const form = new FormData(); form.append('file', wav, 'form.wav');"
                + "fetch('api/v1/recognize', {method: 'POST', body: form}).then(r => r.json())"
                + ".then(j => done(j.file + ' ' + j.label + ' ' + j.duration_s), e => done('failed ' + e));");
        assertEquals("form.wav loud 1", label); // JSON 1.0 is the JavaScript number 1
    }

    @Test
    void phoneWidthsDoNotScrollSideways() throws Exception {
        for (int width : new int[] {360, 390}) {
            open();
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 800,
                    "deviceScaleFactor", 1, "mobile", true));
            browser.navigate().refresh();
            await().until(d -> d.findElement(By.id("model")).getText().startsWith("fake"));
            browser.findElement(By.cssSelector("button.sample[data-sample='conversation']")).click();
            assertEquals("done", await().until(WebDemoBrowserTest::finalState));
            Object sizes = browser.executeScript("return [document.documentElement.scrollWidth, window.innerWidth,"
                    + " document.getElementById('timeline-chart').getBoundingClientRect().right];");
            List<?> s = (List<?>) sizes;
            long scrollWidth = ((Number) s.get(0)).longValue();
            long viewport = ((Number) s.get(1)).longValue();
            assertEquals(width, viewport);
            assertTrue(scrollWidth <= viewport, "page " + scrollWidth + " px wide in a " + viewport + " px viewport");
            assertTrue(((Number) s.get(2)).doubleValue() <= viewport, "the timeline fits");
            screenshot("phone-" + width);
        }
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
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
    void recordingFromTheMicrophoneIsEncodedAsWavAndAnalysed() throws Exception {
        open();
        browser.findElement(By.id("record")).click();
        await().until(d -> d.findElement(By.id("record")).getText().contains("Stop"));
        // live: segments of 1 s windows appear while still recording
        await().until(d -> !d.findElements(By.cssSelector("#segments-table tbody tr")).isEmpty());
        assertEquals("live", browser.findElement(By.id("result")).getAttribute("data-state"));
        assertTrue(browser.findElement(By.id("record")).getText().contains("Stop"));
        assertTrue(List.of("calm", "loud").contains(browser.findElement(By.id("label")).getText()));
        assertTrue(!browser.findElement(By.id("timer")).getText().equals("0:00.0"));
        screenshot("recording-live");
        // WCAG AA: text on the red Stop button (and on every other button) contrasts at least 4.5:1
        for (WebElement b : browser.findElements(By.tagName("button"))) {
            double ratio = ((Number) browser.executeScript(CONTRAST, b)).doubleValue();
            assertTrue(ratio >= 4.5, "contrast " + ratio + " of '" + b.getText() + "'");
        }
        Thread.sleep(500);
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
