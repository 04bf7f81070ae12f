package io.github.ser4j.examples.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing of the web demo's request handling ({@code SerServer.handle}) with in-memory exchanges:
 * the fuzzer picks the method, path, query, {@code Content-Length} / {@code Transfer-Encoding} headers and the body
 * (often a valid WAV it then damages), sometimes as {@code multipart/form-data} with a fuzzed boundary, and live
 * sessions are opened and fed, and the handler must answer every request exactly once with a documented
 * status (200, 201, 400, 404, 405, 413, 415, 422, 429; never 500, as the transparent fake model cannot fail), a JSON error
 * body whose {@code status} is the response's and whose {@code error} says something, {@code Allow} on 405, and may
 * throw only after it has answered with {@code Connection: close} (a refused body it will not drain).
 *
 * <p>Jetty parses the request line and headers before the handler runs, so they are not fuzzed as bytes here
 * (MalformedRequestsTest sends unparseable ones over a socket); the body stream is cut at the declared
 * {@code Content-Length}, as the server's ({@link JettyExchange}) is. Regression inputs:
 * {@code src/test/resources/io/github/ser4j/examples/server/RequestHandlingFuzzTestInputs/handle/}.
 */
class RequestHandlingFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<Integer> DOCUMENTED = Set.of(200, 201, 400, 404, 405, 413, 415, 422, 429);
    static final List<String> METHODS = List.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH");
    static final List<String> PATHS = List.of("/", "/index.html", "/api/v1/health", "/api/v1/model",
            "/api/v1/recognize", "/api/v1/recognize/", "/api/v2/recognize", "/favicon.ico", "/api/v1/live",
            "/api/v1/live/0", "/api/v1/openapi.json", "/samples/hello.wav", "/samples/../index.html");
    static final long MAX_UPLOAD = 64_000;
    static final String SEEDS = "src/test/resources/io/github/ser4j/examples/server/RequestHandlingFuzzTestInputs/handle";

    private static FakeServer fake;
    private static SerServer server;

    @BeforeAll
    static void start() throws IOException {
        // bound to a loopback ephemeral port, but the fuzzer talks to handle() directly
        fake = FakeServer.start(false, 0.5, 0.25, MAX_UPLOAD, 3.0, 2);
        server = fake.server();
    }

    @AfterAll
    static void stop() throws IOException {
        fake.close();
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void handle(FuzzedDataProvider data) throws Exception {
        String method = data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeString(8);
        String path = data.consumeBoolean() ? data.pickValue(PATHS) : "/" + data.consumeString(40);
        String query = data.consumeBoolean() ? null : data.consumeString(60);
        int lengthMode = data.consumeInt(0, 4);
        String declared = switch (lengthMode) {
            case 0 -> null; // chunked or absent
            case 1 -> "exact";
            case 2 -> Long.toString(data.consumeLong(-1, 1L << 40));
            case 3 -> data.consumeString(12);
            default -> null;
        };
        boolean chunked = data.consumeBoolean();
        String contentType = data.consumeBoolean() ? "multipart/form-data; boundary=" + data.consumeString(24) : null;
        byte[] body = data.consumeBoolean() ? damagedWav(data) : data.consumeRemainingAsBytes();
        if ("exact".equals(declared)) {
            declared = Long.toString(body.length);
        }
        if (declared != null && (declared.indexOf('\r') >= 0 || declared.indexOf('\n') >= 0)) {
            return; // a header value cannot hold a line break: the HTTP parser splits or rejects it first
        }

        URI uri;
        try {
            uri = new URI("http", null, "127.0.0.1", 8080, path, null, null);
            if (query != null) {
                uri = URI.create(uri.toASCIIString() + "?" + URIEncoding.raw(query));
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return; // the HTTP parser would have answered 400 before any handler
        }
        Exchange ex = new Exchange(method, uri, declared, chunked, body);
        if (contentType != null && contentType.indexOf('\r') < 0 && contentType.indexOf('\n') < 0) {
            ex.requestHeaders.set("Content-Type", contentType);
        }
        IOException thrown = null;
        try {
            server.handle(ex);
        } catch (IOException e) {
            thrown = e;
        }
        assertEquals(1, ex.responses, "exactly one response for " + method + " " + uri);
        int status = ex.status;
        assertTrue(DOCUMENTED.contains(status), "undocumented status " + status + " for " + method + " " + uri
                + ": " + ex.responseText());
        if (thrown != null) {
            assertEquals("close", ex.responseHeaders.getFirst("Connection"),
                    "the handler may only throw after answering with Connection: close: " + thrown);
        }
        if (status == 405) {
            assertNotNull(ex.responseHeaders.getFirst("Allow"), "405 names the allowed method");
        }
        if (status != 200 && !method.equals("HEAD")) {
            JsonNode o = JSON.readTree(ex.responseText());
            assertEquals(status, o.get("status").asInt(), ex.responseText());
            assertTrue(o.get("error").asText().length() > 5, ex.responseText());
        }
        if (status == 200 && path.equals("/api/v1/recognize")) {
            JsonNode o = JSON.readTree(ex.responseText());
            assertTrue(o.get("ok").asBoolean(), ex.responseText());
            double p = o.get("probabilities").get("loud").asDouble();
            assertTrue(p >= 0 && p <= 1, ex.responseText());
        }
        long declaredValue = -1;
        try {
            declaredValue = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException ignored) {
            // not a number: the server treats it as undeclared
        }
        if (status == 413 && declaredValue <= MAX_UPLOAD) {
            assertTrue(body.length > MAX_UPLOAD || ex.responseText().contains("audio"),
                    "413 for a body within the limit must be about the decoded audio: " + ex.responseText());
        }
        if (status != 200 && !method.equals("HEAD")) {
            assertFalse(JSON.readTree(ex.responseText()).get("error").asText().startsWith("internal error"),
                    ex.responseText());
        }
    }

    /** A 16 kHz WAV of 0.1-4 s, sometimes with its header or data bytes changed. */
    static byte[] damagedWav(FuzzedDataProvider data) {
        int rate = data.pickValue(new Integer[] {8000, 16000, 22050});
        double seconds = data.consumeDouble() % 4;
        seconds = Double.isFinite(seconds) ? 0.1 + Math.abs(seconds) : 0.5;
        byte[] wav = Wav.bytes(Wav.sine(0.5, 440, seconds, rate), rate, data.consumeInt(1, 2));
        int edits = data.consumeInt(0, 4);
        for (int i = 0; i < edits; i++) {
            wav[data.consumeInt(0, Math.min(wav.length - 1, 64))] = data.consumeByte();
        }
        return data.consumeBoolean() ? Arrays.copyOf(wav, data.consumeInt(0, wav.length)) : wav;
    }

    /** Percent-encodes what java.net.URI would refuse, keeping what the fuzzer wrote otherwise. */
    static final class URIEncoding {
        static String raw(String q) {
            StringBuilder b = new StringBuilder();
            for (byte c : q.getBytes(StandardCharsets.UTF_8)) {
                int u = c & 0xFF;
                if (u > 0x20 && u < 0x7F && "\"<>\\^`{|}#".indexOf(u) < 0) {
                    b.append((char) u);
                } else {
                    b.append('%').append(String.format("%02X", u));
                }
            }
            return b.toString();
        }
    }

    /** An in-memory exchange that behaves as the server's ({@link JettyExchange}) towards a handler. */
    static final class Exchange extends HttpExchange {
        final String method;
        final URI uri;
        final Headers requestHeaders = new Headers();
        final Headers responseHeaders = new Headers();
        final InputStream requestBody;
        final ByteArrayOutputStream response = new ByteArrayOutputStream();
        final Map<String, Object> attributes = new HashMap<>();
        int status = -1;
        int responses;

        Exchange(String method, URI uri, String contentLength, boolean chunked, byte[] body) {
            this.method = method;
            this.uri = uri;
            long limit = body.length;
            if (contentLength != null) {
                requestHeaders.set("Content-Length", contentLength);
                try {
                    limit = Math.min(limit, Math.max(0, Long.parseLong(contentLength.trim())));
                } catch (NumberFormatException ignored) {
                    // the HTTP parser answers 400 itself; keep the body as is
                }
            } else if (chunked) {
                requestHeaders.set("Transfer-Encoding", "chunked");
            } else {
                limit = 0; // no length and not chunked: no body
            }
            requestBody = new ByteArrayInputStream(body, 0, (int) limit);
        }

        String responseText() {
            return response.toString(StandardCharsets.UTF_8);
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return uri;
        }

        @Override
        public String getRequestMethod() {
            return method;
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
            if (responses == 0) {
                fail("exchange closed without a response");
            }
        }

        @Override
        public InputStream getRequestBody() {
            return requestBody;
        }

        @Override
        public OutputStream getResponseBody() {
            return response;
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) {
            responses++;
            status = rCode;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return new InetSocketAddress("127.0.0.1", 8080);
        }

        @Override
        public String getProtocol() {
            return "HTTP/1.1";
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }

    /**
     * Seeds, as the FuzzedDataProvider layout reads them (values from the end of the input): a plain upload of a
     * WAV, a GET of each page, a wrong method. Written by
     * {@code mvn -B -pl ser-examples -am test -Dtest=RequestHandlingFuzzTest#writeSeeds -Dser4j.fuzz.writeSeeds=true
     * -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "ser4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path out = Files.createDirectories(Path.of(SEEDS));
        byte[] wav = Wav.bytes(Wav.sine(0.5, 440, 0.3, 8000), 8000, 1);
        Files.write(out.resolve("seed-raw-wav"), wav);
        Files.write(out.resolve("seed-text"), "GET / HTTP/1.1\r\nHost: x\r\n\r\nhello".getBytes(StandardCharsets.UTF_8));
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Files.write(out.resolve("seed-bytes"), all);
    }
}
