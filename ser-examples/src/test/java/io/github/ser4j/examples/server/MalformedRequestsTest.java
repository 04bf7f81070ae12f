package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests the HTTP parser refuses before any endpoint sees them, sent over a bare socket: each gets the server's JSON
 * error ({@code {"status": code, "error": message}}, {@code application/json}) with every security header of
 * {@link Answers}, not an HTML page of the server library; and the server carries on.
 */
class MalformedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    private static FakeServer fake;
    private static SerServer server;

    /** One malformed request and the status it must get. */
    record Case(String name, String request, int status) {
        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    @BeforeAll
    static void start() throws IOException {
        fake = FakeServer.start(false, 0.5, 0.25, 200_000, 5, 1);
        server = fake.server();
    }

    @AfterAll
    static void stop() throws IOException {
        fake.close();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("garbage request line", "GARBAGE\r\n\r\n", 400),
                new Case("header line without a colon", HEALTH + "NoColonHere\r\n\r\n", 400),
                new Case("64 KB header", HEALTH + "X-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n", 431),
                new Case("HTTP/9.9", "GET /api/v1/health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505),
                new Case("20 KB URI", "GET /" + "a".repeat(20 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
                new Case("Content-Length not a number", "POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: lots\r\n\r\n", 400),
                new Case("two different Content-Lengths", "POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredWithTheJsonErrorAndSecurityHeaders(Case c) throws Exception {
        String response = RawHttp.exchangeRefused(server, c.request());
        assertTrue(response.startsWith("HTTP/1.1 " + c.status() + " "), c.name() + ": " + response);
        int end = response.indexOf("\r\n\r\n");
        assertTrue(end > 0, response);
        Map<String, String> headers = new HashMap<>();
        for (String line : response.substring(0, end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        assertTrue(headers.getOrDefault("content-type", "").startsWith("application/json"), headers.toString());
        assertFalse(Answers.SECURITY_HEADERS.isEmpty());
        assertEquals("nosniff", headers.get("x-content-type-options"), headers.toString());
        Answers.SECURITY_HEADERS.forEach((name, value) ->
                assertEquals(value, headers.get(name.toLowerCase(Locale.ROOT)), c.name() + ": header " + name));
        JsonNode body = JSON.readTree(response.substring(end + 4));
        assertEquals(c.status(), body.get("status").asInt(), response);
        assertFalse(body.get("error").asText().isBlank(), response);
        assertFalse(headers.containsKey("server"), "no server banner: " + headers);
    }

    @Test
    void theServerCarriesOnAfterMalformedRequests() throws Exception {
        for (Case c : cases().toList()) {
            RawHttp.exchangeRefused(server, c.request());
        }
        String ok = RawHttp.exchange(server, HEALTH + "Connection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
        assertEquals("ok", JSON.readTree(ok.substring(ok.indexOf("\r\n\r\n") + 4)).get("status").asText());
    }
}
