package io.github.ser4j.examples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.cli.ExitCodes;
import io.github.ser4j.examples.server.SerServer;
import io.github.ser4j.examples.server.ServerConfig;
import io.github.ser4j.examples.testing.Browser;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tool end to end with the real backends: the embedded default model (ser-onnx), the javax.sound decoder
 * (ser-audio-javasound) and the VAD (ser-dsp), on the committed synthetic samples; the default model comes from
 * ser-model-default. These tests check the plumbing and the output contract (valid labels,
 * probabilities that sum to 1, durations from the files' own headers), not the model's accuracy.
 */
class RealModelEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("samples");
    private static EmotionRecognizer recognizer;
    private static List<String> labels;

    @TempDir
    Path dir;

    private static String skipReason;

    @BeforeAll
    static void loadDefaultModel() {
        try {
            recognizer = EmotionRecognizer.create();
            labels = recognizer.labels();
            if (AudioSource.backend().name().startsWith("fake")) {
                skipReason = "end-to-end tests skipped: ser-audio-javasound is not on the class path";
            }
        } catch (BackendNotFoundException e) {
            throw new AssertionError("ser-examples depends on ser-model-default, so the default model must load", e);
        }
    }

    @BeforeEach
    void requireRealBackends() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void close() {
        if (recognizer != null) {
            recognizer.close();
        }
    }

    private static void assertPrediction(JsonNode o) {
        String label = o.get("label").asText();
        if (!o.get("speech").asBoolean()) {
            assertEquals("no_speech", label);
            return;
        }
        assertTrue(labels.contains(label), label + " not in " + labels);
        double sum = 0;
        double best = 0;
        for (String l : labels) {
            double p = o.get("probabilities").get(l).asDouble();
            assertTrue(p >= 0 && p <= 1, l + "=" + p);
            sum += p;
            best = Math.max(best, p);
        }
        assertEquals(1.0, sum, 1e-3, "probabilities sum to 1: " + o);
        assertEquals(best, o.get("confidence").asDouble(), 1e-6);
        assertEquals(best, o.get("probabilities").get(label).asDouble(), 1e-6);
    }

    @Test
    void analyzeTheSamplesFolder() throws Exception {
        Cli r = Cli.run("analyze", "--format", "json", "--threads", "2", SAMPLES.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        Map<String, JsonNode> byFile = new HashMap<>();
        r.out.lines().forEach(l -> {
            try {
                JsonNode n = JSON.readTree(l);
                byFile.put(n.get("file").asText(), n);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        });
        List<Path> wavs;
        try (var s = Files.list(SAMPLES)) {
            wavs = s.filter(p -> p.toString().endsWith(".wav")).toList();
        }
        assertEquals(wavs.size(), byFile.size(), r.out);
        for (Path wav : wavs) {
            JsonNode o = byFile.get(wav.toString());
            assertTrue(o.get("ok").asBoolean(), o.toString());
            double duration = Wav.durationSeconds(wav);
            assertEquals(duration, o.get("duration_s").asDouble(), 1e-3, wav.toString());
            assertPrediction(o);
            double speech = o.get("speech_s").asDouble();
            assertTrue(speech > 0 && speech <= duration, o.toString());
            // longer than the model's 3 s window: analysed whole, windows every second (the card's hop) that hold
            // speech, plus a last shorter one over the tail
            int windows = o.get("windows").asInt();
            assertTrue(duration <= 3.0 ? windows == 1 : windows > 1 && windows <= (int) (duration - 3.0) + 2,
                    o.toString());
        }
    }

    /** MP3, Ogg Vorbis and Opus (ser-audio-codecs' synthetic fixtures) found in a folder and analysed. */
    @Test
    void analyzeCompressedFormats() throws Exception {
        Path fixtures = Path.of("../ser-audio-codecs/src/test/resources/fixtures");
        Map<String, Double> seconds = Map.of("mp3_mono_16k.mp3", 0.8, "vorbis_stereo_44k.ogg", 0.6,
                "opus_stereo_48k.opus", 0.8);
        for (String f : seconds.keySet()) {
            Files.copy(fixtures.resolve(f), dir.resolve(f));
        }
        Cli r = Cli.run("analyze", "--format", "json", dir.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        List<String> lines = r.out.lines().toList();
        assertEquals(seconds.size(), lines.size(), r.toString());
        for (String l : lines) {
            JsonNode o = JSON.readTree(l);
            String name = Path.of(o.get("file").asText()).getFileName().toString();
            assertTrue(o.get("ok").asBoolean(), o.toString());
            // this MP3 has no LAME "Info" frame: its encoder delay and padding (0.1 s) stay, as in ffmpeg
            assertEquals(seconds.get(name), o.get("duration_s").asDouble(), name.endsWith(".mp3") ? 0.15 : 0.002,
                    name);
            assertPrediction(o);
        }
    }

    @Test
    void timelineOfTheConversation() throws Exception {
        Path clip = SAMPLES.resolve("conversation.wav");
        double duration = Wav.durationSeconds(clip);
        Cli r = Cli.run("analyze", "--format", "json", "--timeline", clip.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode segments = JSON.readTree(r.out).get("segments");
        assertTrue(segments.size() >= 2, r.out);
        double lastStart = -1;
        for (JsonNode s : segments) {
            double start = s.get("start_s").asDouble();
            assertTrue(start > lastStart && s.get("end_s").asDouble() > start, s.toString());
            assertTrue(start < duration, s.toString());
            lastStart = start;
            assertPrediction(s);
        }
        Cli csv = Cli.run("analyze", "--format", "csv", "--timeline", clip.toString());
        assertEquals(1 + segments.size(), csv.out.lines().count(), csv.out);
    }

    /** {@code --denoise} reaches the model: the same as the API with {@code RecognizerOptions.denoise(true)}. */
    @Test
    void denoiseOptionReachesTheModel() throws Exception {
        Path clip = SAMPLES.resolve("conversation.wav");
        Cli r = Cli.run("analyze", "--denoise", "--format", "json", clip.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode denoised = JSON.readTree(r.out).get("probabilities");
        JsonNode plain = JSON.readTree(Cli.run("analyze", "--format", "json", clip.toString()).out)
                .get("probabilities");
        double difference = 0;
        try (EmotionRecognizer api = EmotionRecognizer.create(RecognizerOptions.builder().denoise(true).build())) {
            EmotionPrediction p = api.recognize(clip);
            for (String label : labels) {
                assertEquals(p.probability(label), denoised.get(label).asDouble(), 1e-6, label);
                difference += Math.abs(denoised.get(label).asDouble() - plain.get(label).asDouble());
            }
        }
        assertTrue(difference > 1e-4, "denoising changes the result: " + denoised + " vs " + plain);
    }

    @Test
    void modelsListsTheEmbeddedModel() throws Exception {
        Cli r = Cli.run("models", "--format", "json");
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode o = JSON.readTree(r.out.lines().findFirst().orElseThrow());
        assertEquals("embedded", o.get("source").asText());
        assertEquals(labels.size(), o.get("labels").size());
        assertTrue(o.get("sample_rate").asInt() > 0);
        assertTrue(!o.get("license").asText().isBlank() && !o.get("description").asText().isBlank());
    }

    @Test
    void serverRecognizesAnUploadedSample() throws Exception {
        try (SerServer server = new SerServer(recognizer, StreamOptions.defaults(),
                new ServerConfig("127.0.0.1", 0, 5_000_000, 60, 2))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.uri().resolve("/api/v1/recognize?timeline=true"))
                    .POST(HttpRequest.BodyPublishers.ofFile(SAMPLES.resolve("hello.wav"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode o = JSON.readTree(r.body());
            assertPrediction(o);
            assertEquals(Wav.durationSeconds(SAMPLES.resolve("hello.wav")), o.get("duration_s").asDouble(), 1e-3);
            for (JsonNode s : o.get("segments")) {
                assertPrediction(s);
            }
        }
    }

    @Test
    void browserUploadWithTheRealModel() throws Exception {
        Assumptions.assumeTrue(Browser.chromium().isPresent() && Browser.chromedriver().isPresent(),
                "browser test skipped: install Chromium and chromedriver (Debian: chromium chromium-driver)");
        try (SerServer server = new SerServer(recognizer, StreamOptions.defaults(),
                new ServerConfig("127.0.0.1", 0, 5_000_000, 60, 2))) {
            ChromeDriver browser = Browser.start(Files.createDirectories(dir.resolve("profile")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(server.uri().toString());
                wait.until(d -> !d.findElement(By.id("model")).getText().startsWith("loading"));
                browser.findElement(By.id("file")).sendKeys(SAMPLES.resolve("upset.wav").toAbsolutePath()
                        .toString());
                browser.findElement(By.id("analyze")).click();
                String state = wait.until(d -> {
                    String s = d.findElement(By.id("result")).getAttribute("data-state");
                    return "done".equals(s) || "error".equals(s) ? s : null;
                });
                assertEquals("done", state, browser.findElement(By.id("error")).getText());
                String label = browser.findElement(By.id("label")).getText();
                assertTrue(labels.contains(label) || label.equals("no_speech"), label);
                assertEquals(labels.size(), browser.findElements(By.cssSelector("#prob-chart rect.bar")).size());
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void evaluateOnTheSharedCorpusWhenPresent() throws Exception {
        Path shared = Path.of(System.getProperty("ser4j.shared.dir", "../../shared"));
        Path manifest = shared.resolve("datasets/manifest.csv");
        Assumptions.assumeTrue(Files.isRegularFile(manifest), "corpus evaluation skipped: " + manifest
                + " is absent (set -Dser4j.shared.dir)");
        Path json = dir.resolve("eval.json");
        Path report = dir.resolve("eval.html");
        Cli r = Cli.run("evaluate", "--manifest", manifest.toString(), "--filter", "speaker=ravdess_01",
                "--limit", "24", "--threads", "2", "--json", json.toString(), "--report", report.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode o = JSON.readTree(json.toFile());
        int n = o.get("n").asInt();
        assertTrue(n > 0 && n <= 24, o.toString());
        int total = 0;
        for (JsonNode row : o.get("confusion").get("matrix")) {
            for (JsonNode v : row) {
                total += v.asInt();
            }
        }
        for (JsonNode v : o.get("confusion").get("no_speech")) {
            total += v.asInt();
        }
        assertEquals(n, total, "confusion matrix covers every evaluated row");
        double acc = o.get("accuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1);
        assertTrue(Files.readString(report).contains("<svg id=\"confusion\""));
        // RAVDESS is in the default model's training data: the run says so, it does not pass for a fair test
        assertEquals(n, o.get("training_overlap").get("rows").asInt(), o.toString());
        assertTrue(r.err.contains("warning: " + n + " of " + n + " rows are from corpora the model was trained on "
                + "(ravdess " + n + ")"), r.err);
    }
}
