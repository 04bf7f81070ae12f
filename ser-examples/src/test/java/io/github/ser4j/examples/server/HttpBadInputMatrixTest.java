package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeRecognizer;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP rows of the bad-input matrix (docs/BAD_INPUT_MATRIX.md), against a real server on a loopback port with
 * the transparent fake model and limits of 200 000 bytes, 5 s of audio and 1 concurrent recognition: the exact
 * status, a JSON error body carrying it, the words of the error that name the problem, and the headers promised.
 */
class HttpBadInputMatrixTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeServer fake;
    private static SerServer server;

    /** What a request got back. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
    }

    /** One row: the request and the status, error words and header it must get. */
    record Row(String id, String input, int status, Callable<Answer> request, String header, List<String> fragments) {
        @Override
        public String toString() {
            return id + ": " + input;
        }
    }

    static Row row(String id, String input, int status, Callable<Answer> request, String header, String... words) {
        return new Row(id, input, status, request, header, List.of(words));
    }

    @BeforeAll
    static void start() throws IOException {
        fake = FakeServer.start(true, 1, 0.5, 200_000, 5.0, 1);
        server = fake.server();
    }

    @AfterAll
    static void stop() throws IOException {
        fake.close();
    }

    @AfterEach
    void openGate() {
        FakeRecognizer.gate = null;
    }

    static Answer send(String method, String pathAndQuery, byte[] body) throws Exception {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .method(method, p).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().map());
    }

    static Answer post(String pathAndQuery, byte[] body) throws Exception {
        return send("POST", pathAndQuery, body);
    }

    static byte[] wav(double seconds) {
        return Wav.bytes(Wav.sine(0.5, 440, seconds, 16000), 16000, 1);
    }

    /** A WAV whose header says {@code channels} channels at {@code rate} Hz. */
    static byte[] wavWith(int channels, int rate) {
        byte[] w = wav(0.5);
        w[22] = (byte) channels;
        w[23] = (byte) (channels >> 8);
        for (int i = 0; i < 4; i++) {
            w[24 + i] = (byte) (rate >> (8 * i));
        }
        return w;
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("H01", "`POST /api/v1/recognize` declaring `Content-Length: 1000000000` (limit 200 000)", 413,
                HttpBadInputMatrixTest::declaredGigabyte, "Connection", "1000000000 bytes exceeds the limit of 200000"));
        rows.add(row("H02", "a chunked upload of 300 000 bytes (size known only while reading)", 413, () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                            new byte[300_000]))).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().map());
        }, null, "upload exceeds the limit of 200000 bytes"));
        rows.add(row("H03", "a valid WAV of 6 s (audio limit 5 s)", 413, () -> post("/api/v1/recognize", wav(6)),
                null, "longer than the limit of 5.0 s"));
        rows.add(row("H04", "a second recognition while the only slot is busy", 429,
                HttpBadInputMatrixTest::secondWhileBusy, "Retry-After", "too many concurrent recognitions",
                "limit 1"));
        rows.add(row("H05", "`GET /api/v1/recognize` (wrong method)", 405, () -> send("GET", "/api/v1/recognize",
                null), "Allow", "method GET not allowed; use POST"));
        rows.add(row("H06", "`DELETE /api/v1/health`", 405, () -> send("DELETE", "/api/v1/health", null), "Allow",
                "method DELETE not allowed; use GET"));
        rows.add(row("H07", "`POST /` (the page is GET only)", 405, () -> post("/", wav(0.5)), "Allow",
                "method POST not allowed; use GET"));
        rows.add(row("H08", "empty body", 400, () -> post("/api/v1/recognize", new byte[0]), null,
                "empty request body"));
        rows.add(row("H09", "a text body (not audio)", 415, () -> post("/api/v1/recognize",
                "hello, not audio at all".getBytes(StandardCharsets.UTF_8)), null, "unsupported audio",
                "not a recognised audio file"));
        rows.add(row("H10", "a WAV with 0 channels", 422, () -> post("/api/v1/recognize", wavWith(0, 16000)),
                null, "unusable audio", "0 channels"));
        rows.add(row("H11", "a WAV at 10 MHz", 415, () -> post("/api/v1/recognize", wavWith(1, 10_000_000)), null,
                "10000000 Hz"));
        rows.add(row("H12", "a WAV holding no samples", 422, () -> post("/api/v1/recognize", Wav.bytes(new float[0],
                16000, 1)), null, "no samples"));
        rows.add(row("H13", "a WAV cut inside its header (20 bytes)", 422, () -> post("/api/v1/recognize",
                Arrays.copyOf(wav(0.5), 20)), null, "unusable audio", "truncated 'fmt ' chunk"));
        rows.add(row("H14", "`?timeline=maybe`", 400, () -> post("/api/v1/recognize?timeline=maybe", wav(0.5)), null,
                "parameter timeline must be true or false", "maybe"));
        rows.add(row("H15", "`GET /api/v1/nothing` (unknown path)", 404, () -> send("GET", "/api/v1/nothing", null),
                null, "no such resource: /api/v1/nothing"));
        rows.add(row("H16", "a 6 KB FLAC of 4 s of 8 channels at 192 kHz (6.1 million decoded samples, cap 480 000)",
                413, () -> post("/api/v1/recognize", flacBomb()), null, "audio too large when decoded",
                "more than the limit of 480000 decoded samples"));
        rows.add(row("H17", "`Host: evil.example` (DNS rebinding)", 403, () -> raw("GET /api/v1/health HTTP/1.1\r\n"
                + "Host: evil.example\r\nConnection: close\r\n\r\n"), null, "host 'evil.example' is not one this "
                + "server answers to"));
        rows.add(row("H18", "`POST` with `Origin: http://evil.example`", 403, () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                    .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofByteArray(wav(0.5)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().map());
        }, null, "cross-origin POST from 'http://evil.example' refused"));
        rows.add(row("H19", "`/api/v1/recognize?denoise=yes`", 400, () -> post("/api/v1/recognize?denoise=yes",
                wav(0.5)), null, "parameter denoise must be true or false", "yes"));
        rows.add(row("H20", "`/api/v1/live?rate=16000&denoise=on`", 400,
                () -> post("/api/v1/live?rate=16000&denoise=on", new byte[0]), null,
                "parameter denoise must be true or false", "on"));
        return rows.stream();
    }

    static byte[] flacBomb() throws IOException {
        Path f = java.nio.file.Files.createTempFile("bomb", ".flac");
        try {
            return java.nio.file.Files.readAllBytes(io.github.ser4j.api.testing.FlacSilence.write(f, 192_000, 8,
                    4L * 192_000));
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    static Answer declaredGigabyte() throws IOException {
        return raw(RawHttp.DECLARED_GIGABYTE);
    }

    static Answer raw(String request) throws IOException {
        String response = RawHttp.exchange(server, request);
        int status = Integer.parseInt(response.substring(9, 12));
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        Map<String, List<String>> headers = new java.util.HashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
                        List.of(line.substring(colon + 1).trim()));
            }
        }
        return new Answer(status, response.substring(head.length() + 4), headers);
    }

    static Answer secondWhileBusy() throws Exception {
        FakeRecognizer.Gate gate = new FakeRecognizer.Gate();
        FakeRecognizer.gate = gate;
        URI uri = server.uri().resolve("/api/v1/recognize");
        CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav(1))).build(), HttpResponse.BodyHandlers.ofString());
        try {
            assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "first request reached the model");
            return post("/api/v1/recognize", wav(1));
        } finally {
            gate.release.countDown();
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void http(Row row) throws Exception {
        Answer a = row.request().call();
        assertEquals(row.status(), a.status(), row.id() + ": " + a.body());
        JsonNode o = JSON.readTree(a.body());
        assertEquals(row.status(), o.get("status").asInt(), a.body());
        String error = o.get("error").asText();
        for (String f : row.fragments()) {
            assertTrue(error.contains(f), row.id() + ": the error should mention '" + f + "': " + error);
        }
        if (row.header() != null) {
            List<String> h = a.headers().getOrDefault(row.header().toLowerCase(java.util.Locale.ROOT), List.of());
            assertTrue(!h.isEmpty(), row.id() + ": header " + row.header() + " missing: " + a.headers());
            switch (row.header()) {
                case "Retry-After" -> assertEquals("1", h.get(0));
                case "Connection" -> assertEquals("close", h.get(0));
                case "Allow" -> assertTrue(error.endsWith("use " + h.get(0)), h + " vs " + error);
                default -> throw new IllegalStateException(row.header());
            }
        }
        record(row, error);
    }

    private static void record(Row row, String error) {
        try {
            Path out = Files.createDirectories(Path.of("target", "bad-input-matrix"));
            Files.writeString(out.resolve(row.id() + ".md"), "| " + row.id() + " | " + row.input() + " | HTTP "
                    + row.status() + (row.header() != null ? " + `" + row.header() + "`" : "") + " | "
                    + String.join(" / ", row.fragments().stream().map(f -> "`" + f + "`").toList())
                    + " | `HttpBadInputMatrixTest#http` |\n");
            Files.writeString(out.resolve(row.id() + ".message.txt"), error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
