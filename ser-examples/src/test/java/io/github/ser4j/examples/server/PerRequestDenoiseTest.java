package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeRecognizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code denoise=true|false} on {@code /api/v1/recognize} and {@code /api/v1/live} reaches a recogniser created with
 * or without {@link RecognizerOptions#denoise()}; without it the server's setting applies; a bad value is a JSON 400
 * naming the parameter; {@link SerServer#close()} closes every recogniser it opened. The fake backend records the
 * options each recogniser was created with and counts its recognitions.
 */
class PerRequestDenoiseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Every recogniser the server's opener made, in order. */
    private final List<FakeRecognizer> opened = new CopyOnWriteArrayList<>();
    private Path card;
    private SerServer server;
    private byte[] clip;

    @BeforeEach
    void card() throws Exception {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        clip = Wav.bytes(Wav.sine(0.3, 300, 1.5, 16000), 16000, 1);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        opened.forEach(EmotionRecognizer::close);
    }

    private SerServer start(boolean serverDenoise) {
        Recognizers recognizers = Recognizers.open(o -> {
            FakeRecognizer r = (FakeRecognizer) EmotionRecognizer.create(card, o);
            opened.add(r);
            return r;
        }, RecognizerOptions.builder().denoise(serverDenoise).build());
        server = new SerServer(recognizers, StreamOptions.builder().windowSeconds(1).hopSeconds(0.5).build(),
                new ServerConfig("127.0.0.1", 0, 200_000, 60, 2));
        return server;
    }

    private HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode model() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/model")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void recognize(String query) throws Exception {
        HttpResponse<String> r = post("/api/v1/recognize" + query, clip);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("ok").asBoolean(), r.body());
    }

    private static void badRequestNaming(HttpResponse<String> r, String parameter) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.toString());
        JsonNode o = JSON.readTree(r.body());
        assertEquals(400, o.get("status").asInt());
        assertTrue(o.get("error").asText().contains("parameter " + parameter), r.body());
    }

    @Test
    void eachRequestReachesTheRecogniserOfItsChoice() throws Exception {
        start(false);
        assertEquals(1, opened.size(), "only the server's recogniser is opened at start");
        FakeRecognizer plain = opened.get(0);
        assertFalse(plain.options().denoise());
        JsonNode denoise = model().get("denoise");
        assertTrue(denoise.get("per_request").asBoolean(), denoise.toString());
        assertFalse(denoise.get("default").asBoolean(), denoise.toString());

        recognize("");
        assertEquals(1, opened.size(), "no choice: the server's setting, off");
        assertEquals(1, plain.recognitions());

        recognize("?denoise=true&timeline=true");
        assertEquals(2, opened.size(), "denoise=true opens the denoising recogniser");
        FakeRecognizer denoising = opened.get(1);
        assertTrue(denoising.options().denoise());
        assertTrue(denoising.recognitions() >= 2, "the clip and its timeline windows");
        assertEquals(1, plain.recognitions(), "the plain recogniser saw nothing of it");

        int before = denoising.recognitions();
        recognize("?denoise=false");
        assertEquals(2, plain.recognitions());
        recognize("?denoise=1");
        assertEquals(before + 1, denoising.recognitions());
        assertEquals(2, opened.size(), "opened once, then reused");

        // live sessions too: pushed on the chosen recogniser
        HttpResponse<String> live = post("/api/v1/live?rate=16000&denoise=true", new byte[0]);
        assertEquals(201, live.statusCode(), live.body());
        assertEquals(1, denoising.openSessions());
        assertEquals(0, plain.openSessions());
        live = post("/api/v1/live?rate=16000", new byte[0]);
        assertEquals(201, live.statusCode(), live.body());
        assertEquals(1, plain.openSessions());

        server.close();
        assertTrue(plain.isClosed() && denoising.isClosed(), "close() closes both recognisers");
        assertEquals(0, plain.openSessions() + denoising.openSessions(), "and the live sessions");
    }

    @Test
    void withServerDenoiseRequestsDenoiseUnlessTheyOptOut() throws Exception {
        start(true);
        FakeRecognizer denoising = opened.get(0);
        assertTrue(denoising.options().denoise());
        assertTrue(model().get("denoise").get("default").asBoolean());
        recognize("");
        assertEquals(1, denoising.recognitions());
        assertEquals(1, opened.size());
        recognize("?denoise=false");
        assertEquals(2, opened.size());
        assertFalse(opened.get(1).options().denoise());
        assertEquals(1, opened.get(1).recognitions());
        assertEquals(1, denoising.recognitions());
    }

    @Test
    void badValuesAre400NamingTheParameter() throws Exception {
        start(false);
        for (String bad : List.of("yes", "TRUE", "2", "on")) {
            badRequestNaming(post("/api/v1/recognize?denoise=" + bad, clip), "denoise");
            badRequestNaming(post("/api/v1/live?rate=16000&denoise=" + bad, new byte[0]), "denoise");
        }
        assertEquals(1, opened.size(), "no recogniser opened for a bad request");
        assertEquals(0, opened.get(0).recognitions());
        assertEquals(0, opened.get(0).openSessions());
    }

    @Test
    void aServerOfOneRecogniserRefusesTheChoice() throws Exception {
        try (EmotionRecognizer only = EmotionRecognizer.create(card)) {
            server = new SerServer(only, StreamOptions.defaults(), new ServerConfig("127.0.0.1", 0, 200_000, 60, 2));
            assertFalse(model().get("denoise").get("per_request").asBoolean());
            assertFalse(model().get("denoise").has("default"), "unknown for a recogniser given as is");
            badRequestNaming(post("/api/v1/recognize?denoise=false", clip), "denoise");
            badRequestNaming(post("/api/v1/live?rate=16000&denoise=true", new byte[0]), "denoise");
            recognize("");
            server.close();
            assertFalse(((FakeRecognizer) only).isClosed(), "a recogniser given as is stays its owner's");
        }
    }
}
