package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeRecognizer;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API on the transparent fake model (p(loud) = min(1, 2 rms)). */
class SerServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private FakeServer fake;
    private SerServer server;

    private SerServer start(boolean block, int maxConcurrent) throws Exception {
        fake = FakeServer.start(block, 1, 0.5, 200_000, 5.0, maxConcurrent);
        server = fake.server();
        return server;
    }

    @AfterEach
    void stop() {
        FakeRecognizer.gate = null;
        if (fake != null) {
            fake.close();
        }
    }

    private HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode errorBody(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode o = JSON.readTree(r.body());
        assertEquals(status, o.get("status").asInt());
        assertTrue(o.get("error").asText().length() > 5, r.body());
        return o;
    }

    @Test
    void pageModelAndHealth() throws Exception {
        start(false, 2);
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("id=\"prob-chart\"") && page.body().contains("getUserMedia"));
        assertTrue(!page.body().contains("https://") && !page.body().contains("src=\"http"), "no CDN");
        JsonNode model = JSON.readTree(get("/api/v1/model").body());
        assertEquals("[\"calm\",\"loud\"]", model.get("labels").toString());
        List<String> fields = new ArrayList<>();
        model.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "version", "labels", "sample_rate", "window_s", "hop_s", "license", "description",
                "limits", "denoise"), fields, "the shape `ser models --format json` shares (ModelJson), then the "
                + "server's limits and denoise choice");
        assertEquals(200_000, model.get("limits").get("max_upload_bytes").asLong());
        assertEquals(5 * 96_000, model.get("limits").get("max_decoded_samples").asLong(), "5 s of 48 kHz stereo");
        assertEquals("ok", JSON.readTree(get("/api/v1/health").body()).get("status").asText());
        errorBody(get("/nope"), 404);
        errorBody(get("/api/v1/recognize"), 405);
    }

    @Test
    void recognizeOneClipAndATimeline() throws Exception {
        start(false, 2);
        HttpResponse<String> r = post("/api/v1/recognize?name=a.wav",
                Wav.bytes(Wav.sine(0.5, 440, 1.5, 16000), 16000, 1));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode o = JSON.readTree(r.body());
        assertEquals("a.wav", o.get("file").asText());
        assertEquals("loud", o.get("label").asText());
        assertEquals(Math.sqrt(2) * 0.5, o.get("probabilities").get("loud").asDouble(), 1e-3);
        assertEquals(1.5, o.get("duration_s").asDouble(), 1e-9);
        assertTrue(o.get("segments") == null);

        // Stereo at 8 kHz: 1 s loud then 1 s quiet; windows 1 s / hop 0.5 s -> 3 segments.
        float[] mono = new float[16000];
        System.arraycopy(Wav.sine(0.5, 300, 1, 8000), 0, mono, 0, 8000);
        System.arraycopy(Wav.sine(0.1, 300, 1, 8000), 0, mono, 8000, 8000);
        float[] stereo = new float[32000];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        JsonNode t = JSON.readTree(post("/api/v1/recognize?timeline=true", Wav.bytes(stereo, 8000, 2)).body());
        assertEquals(2.0, t.get("duration_s").asDouble(), 1e-9);
        assertEquals(3, t.get("segments").size(), t.toString());
        assertEquals("loud", t.get("segments").get(0).get("label").asText());
        assertEquals("calm", t.get("segments").get(2).get("label").asText());
        assertEquals(1.0, t.get("segments").get(2).get("start_s").asDouble());
    }

    /** ser-audio-codecs is on the server's class path: an Opus and an MP3 upload are decoded and analysed. */
    @Test
    void compressedUploadsAreDecoded() throws Exception {
        start(false, 2);
        java.nio.file.Path fixtures = java.nio.file.Path.of("../ser-audio-codecs/src/test/resources/fixtures");
        for (String f : List.of("opus_mono_16k.opus", "mp3_stereo_44k_id3.mp3")) {
            HttpResponse<String> r = post("/api/v1/recognize?name=" + f,
                    java.nio.file.Files.readAllBytes(fixtures.resolve(f)));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode o = JSON.readTree(r.body());
            // both hold a 440 Hz sine of amplitude 0.5 (the MP3's right channel 0.25 at 660 Hz): rms 0.354 and,
            // mixed down, sqrt((0.25^2 + 0.125^2) / 2) = 0.198; the fake model says p(loud) = 2 rms. The MP3 at
            // 96 kbps comes out ~5 % quieter (ffmpeg's decoding of the file: 2 rms = 0.375)
            double rms = f.endsWith(".opus") ? 0.5 / Math.sqrt(2) : Math.sqrt((0.25 * 0.25 + 0.125 * 0.125) / 2);
            assertEquals(2 * rms, o.get("probabilities").get("loud").asDouble(), 0.03, r.body());
            assertEquals(f.endsWith(".opus") ? 0.8 : 0.6, o.get("duration_s").asDouble(), 1e-3, r.body());
        }
    }

    @Test
    void badInputsGetClearJsonErrors() throws Exception {
        start(false, 2);
        errorBody(post("/api/v1/recognize", "hello, not audio".getBytes(StandardCharsets.UTF_8)), 415);
        errorBody(post("/api/v1/recognize", new byte[0]), 400);
        errorBody(post("/api/v1/recognize?timeline=maybe", Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1)),
                400);
        JsonNode tooLong = errorBody(post("/api/v1/recognize", Wav.bytes(new float[8000 * 6], 8000, 1)), 413);
        assertTrue(tooLong.get("error").asText().contains("longer"), tooLong.toString());
        errorBody(post("/api/v1/recognize", new byte[200_001]), 413);
    }

    @Test
    void oversizedUploadsAre413BeforeAndWhileReading() throws Exception {
        start(false, 2);
        // Declared too large: answered from the headers, without reading the body.
        String response = RawHttp.exchange(server, RawHttp.DECLARED_GIGABYTE);
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertEquals(413, JSON.readTree(body).get("status").asInt());
        // Chunked, so the size is only known while reading.
        InputStream big = new ByteArrayInputStream(new byte[300_000]);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> big)).build(),
                HttpResponse.BodyHandlers.ofString());
        errorBody(r, 413);
    }

    @Test
    void requestsBeyondTheConcurrencyLimitGet429() throws Exception {
        start(true, 1);
        FakeRecognizer.Gate gate = new FakeRecognizer.Gate();
        FakeRecognizer.gate = gate;
        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1);
        URI uri = server.uri().resolve("/api/v1/recognize");
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "first request reached the model");
        HttpResponse<String> second = post("/api/v1/recognize", clip);
        errorBody(second, 429);
        assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
        // The page and the health check are still served while the slot is taken.
        assertEquals(200, get("/api/v1/health").statusCode());
        gate.release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, post("/api/v1/recognize", clip).statusCode(), "the slot is free again");
    }

    /** {@code curl -F file=@clip.wav}: the usual multipart upload is accepted and named by its file name. */
    @Test
    void multipartUploadsAreAccepted() throws Exception {
        start(false, 2);
        byte[] wav = Wav.bytes(Wav.sine(0.5, 440, 1.5, 16000), 16000, 1);
        String boundary = "----ser4jBoundary7MA4YWxk";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(wav);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode o = JSON.readTree(r.body());
        assertEquals("hello.wav", o.get("file").asText());
        assertEquals(1.5, o.get("duration_s").asDouble(), 1e-9, "the part's bytes exactly, no boundary bytes");
        assertEquals(Math.sqrt(2) * 0.5, o.get("probabilities").get("loud").asDouble(), 1e-3);

        // curl itself, when installed: its multipart encoding is independent of the one above
        java.nio.file.Path clip = java.nio.file.Files.createTempFile("ser4j-curl", ".wav");
        try {
            java.nio.file.Files.write(clip, wav);
            Process curl;
            try {
                curl = new ProcessBuilder("curl", "-s", "-F", "file=@" + clip, server.uri().resolve(
                        "/api/v1/recognize?timeline=true").toString()).redirectErrorStream(true).start();
            } catch (java.io.IOException noCurl) {
                curl = null;
            }
            if (curl != null) {
                String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, curl.waitFor(), out);
                JsonNode c = JSON.readTree(out);
                assertEquals(clip.getFileName().toString(), c.get("file").asText(), out);
                assertEquals(2, c.get("segments").size(), out);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(clip);
        }
        errorBody(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build(), HttpResponse.BodyHandlers.ofString()), 400);
    }

    /** A live session gives, chunk by chunk, the same segments as the timeline of the whole clip. */
    @Test
    void liveSessionsStreamSegmentsAsTheyAreRecognised() throws Exception {
        start(false, 2);
        float[] mono = new float[3 * 16000];
        System.arraycopy(Wav.sine(0.5, 300, 1.5, 16000), 0, mono, 0, 24000);
        System.arraycopy(Wav.sine(0.1, 300, 1.5, 16000), 0, mono, 24000, 24000);
        JsonNode whole = JSON.readTree(post("/api/v1/recognize?timeline=true", Wav.bytes(mono, 16000, 1)).body());

        HttpResponse<String> opened = post("/api/v1/live?rate=16000", new byte[0]);
        assertEquals(201, opened.statusCode(), opened.body());
        String id = JSON.readTree(opened.body()).get("id").asText();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        List<JsonNode> live = new ArrayList<>();
        byte[] pcm = java.nio.ByteBuffer.allocate(2 * mono.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).array();
        for (int i = 0; i < mono.length; i++) {
            short v = (short) Math.round(mono[i] * 32767);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        int chunk = 7001; // odd: chunks end inside samples
        int segmentsAfterFirstSecond = -1;
        for (int off = 0; off < pcm.length; off += chunk) {
            boolean last = off + chunk >= pcm.length;
            HttpResponse<String> r = post("/api/v1/live/" + id + (last ? "?end=true" : ""),
                    java.util.Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + chunk)));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode o = JSON.readTree(r.body());
            o.get("segments").forEach(live::add);
            if (segmentsAfterFirstSecond < 0 && o.get("position_s").asDouble() >= 1.2) {
                segmentsAfterFirstSecond = live.size();
            }
        }
        assertTrue(segmentsAfterFirstSecond >= 1, "segments arrive before the audio ends");
        assertEquals(whole.get("segments").size(), live.size());
        for (int i = 0; i < live.size(); i++) {
            assertEquals(whole.get("segments").get(i).get("start_s").asDouble(), live.get(i).get("start_s").asDouble());
            assertEquals(whole.get("segments").get(i).get("label").asText(), live.get(i).get("label").asText());
            assertEquals(whole.get("segments").get(i).get("probabilities").get("loud").asDouble(),
                    live.get(i).get("probabilities").get("loud").asDouble(), 1e-3);
        }
        errorBody(post("/api/v1/live/" + id, new byte[2]), 404); // ended sessions are gone
        errorBody(post("/api/v1/live?rate=12", new byte[0]), 400);
        errorBody(post("/api/v1/live/0123", new byte[2]), 404);
    }

    /** Live sessions are capped in number (2 x maxConcurrent + 2) and in audio (the server's maxAudioSeconds). */
    @Test
    void liveSessionsAreLimited() throws Exception {
        start(false, 1); // 4 sessions at most; 5 s of audio each
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = post("/api/v1/live?rate=8000", new byte[0]);
            assertEquals(201, r.statusCode(), r.body());
            ids.add(JSON.readTree(r.body()).get("id").asText());
        }
        errorBody(post("/api/v1/live?rate=8000", new byte[0]), 429);
        assertEquals(200, http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/live/" + ids.get(0)))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(201, post("/api/v1/live?rate=8000", new byte[0]).statusCode(), "a freed place is reused");
        // 4 s, then 2 s more: past the 5 s limit, refused and the session closed
        assertEquals(200, post("/api/v1/live/" + ids.get(1), new byte[2 * 8000 * 4]).statusCode());
        errorBody(post("/api/v1/live/" + ids.get(1), new byte[2 * 8000 * 2]), 413);
        errorBody(post("/api/v1/live/" + ids.get(1), new byte[2]), 404);
    }

    @Test
    void samplesAndTheOpenApiDocumentAreServed() throws Exception {
        start(false, 2);
        for (String name : StaticAssets.SAMPLES) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/samples/" + name
                    + ".wav")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), name);
            assertEquals(java.util.Arrays.toString(java.nio.file.Files.readAllBytes(
                    java.nio.file.Path.of("samples", name + ".wav"))).hashCode(),
                    java.util.Arrays.toString(r.body()).hashCode(), "the committed clip " + name);
        }
        errorBody(get("/samples/../pom.xml"), 404);
        errorBody(get("/samples/secret.wav"), 404);
        JsonNode api = JSON.readTree(get("/api/v1/openapi.json").body());
        assertTrue(api.get("openapi").asText().startsWith("3."));
        for (String path : List.of("/api/v1/recognize", "/api/v1/live", "/api/v1/live/{id}", "/api/v1/model")) {
            assertTrue(api.get("paths").has(path), path);
        }
    }

    @Test
    void aTakenPortFailsWithTheBindException() throws Exception {
        start(false, 1);
        int port = server.address().getPort();
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> new SerServer(fake.recognizers().get(0),
                        io.github.ser4j.api.StreamOptions.defaults(),
                        new ServerConfig("127.0.0.1", port, 200_000, 5.0, 1)));
        assertTrue(e.getCause() instanceof java.net.BindException, "ser serve tells a taken port by it: " + e);
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertEquals(200, get("/api/v1/health").statusCode(), "the first server is unharmed");
    }
}
