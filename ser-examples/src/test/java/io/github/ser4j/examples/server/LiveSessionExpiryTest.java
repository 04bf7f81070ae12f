package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle live sessions ({@code /api/v1/live}) are closed, their push sessions released and their places freed, while a
 * session that keeps receiving chunks stays open. The server's clock is one the test moves, so nothing depends on
 * how fast this machine is: no sleeps.
 */
class LiveSessionExpiryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private FakeRecognizer recognizer;
    private SerServer server;

    @BeforeEach
    void start() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        recognizer = (FakeRecognizer) EmotionRecognizer.create(card);
        // maxConcurrent 1: at most 4 live sessions
        server = new SerServer(Recognizers.single(recognizer),
                StreamOptions.builder().windowSeconds(1).hopSeconds(0.5).build(),
                new ServerConfig("127.0.0.1", 0, 200_000, 60, 1), Duration.ofSeconds(30), now::get);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
    }

    private HttpResponse<String> send(String method, String pathAndQuery, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String open() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/live?rate=8000", new byte[0]);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode o = JSON.readTree(r.body());
        assertEquals(30.0, o.get("idle_timeout_s").asDouble(), "the timeout the server applies");
        return o.get("id").asText();
    }

    /** A 0.1 s chunk of 16-bit PCM at 8 kHz (silence). */
    private int feed(String id) throws Exception {
        return send("POST", "/api/v1/live/" + id, new byte[1600]).statusCode();
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(seconds * SECOND);
    }

    @Test
    void anIdleSessionIsClosedAndAnActiveOneIsNot() throws Exception {
        String idle = open();
        String active = open();
        assertEquals(2, recognizer.openSessions());

        advanceSeconds(20);
        assertEquals(200, feed(active));
        advanceSeconds(15); // idle: 35 s without a chunk; active: 15 s
        assertEquals(200, feed(active), "a session fed within the timeout stays open");
        assertEquals(1, recognizer.openSessions(), "the idle session's push session is closed");
        HttpResponse<String> gone = send("POST", "/api/v1/live/" + idle, new byte[1600]);
        assertEquals(404, gone.statusCode(), gone.body());
        JsonNode error = JSON.readTree(gone.body());
        assertEquals(404, error.get("status").asInt());
        assertTrue(error.get("error").asText().contains("idle for more than 30.0 s"), gone.body());
        assertEquals(404, send("DELETE", "/api/v1/live/" + idle, new byte[0]).statusCode());

        // exactly the timeout is not more than the timeout; one nanosecond more is
        advanceSeconds(30);
        assertEquals(200, feed(active));
        now.addAndGet(30 * SECOND + 1);
        assertEquals(404, feed(active));
        assertEquals(0, recognizer.openSessions(), "every push session is released");
    }

    @Test
    void expiredSessionsFreeTheirPlaces() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(open());
        }
        assertEquals(429, send("POST", "/api/v1/live?rate=8000", new byte[0]).statusCode(), "4 sessions at most");
        advanceSeconds(10);
        assertEquals(200, feed(ids.get(3)));
        advanceSeconds(25); // the first three idle for 35 s, the fourth for 25 s
        for (int i = 0; i < 3; i++) {
            open();
        }
        assertEquals(4, recognizer.openSessions(), "three expired sessions closed, three new ones opened");
        assertEquals(200, feed(ids.get(3)), "the session fed 25 s ago is still open");
        for (int i = 0; i < 3; i++) {
            assertEquals(404, feed(ids.get(i)));
        }
    }

    @Test
    void theIdleTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LiveSessions(StreamOptions.defaults(), 1, 1,
                Duration.ZERO, now::get));
    }
}
