package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.FlacSilence;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeRecognizer;
import io.github.ser4j.examples.testing.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-client suite: misbehaving clients on the loopback interface, bounded in count and time (every attack
 * stops by itself; the class takes well under a minute), against a real server on the fake model. Each test prints
 * one {@code hostile:} line of figures (docs/HOSTILE.md collects them).
 */
class HostileClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
    private final List<Socket> sockets = new ArrayList<>();
    private FakeServer fake;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws IOException {
        FakeRecognizer.gate = null;
        for (Socket s : sockets) {
            s.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private SerServer start(boolean block, long maxUpload, double maxAudioSeconds, int maxConcurrent)
            throws IOException {
        fake = FakeServer.start(block, 0.5, 0.25, maxUpload, maxAudioSeconds, maxConcurrent);
        return fake.server();
    }

    private Socket connect(SerServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(30_000);
        synchronized (sockets) {
            sockets.add(s);
        }
        return s;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(ANSWER_WITHIN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(SerServer server, String path) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).GET());
    }

    private HttpResponse<String> post(SerServer server, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Reads until the server closes the connection; true if it did within {@code seconds}. */
    static boolean closedByServer(Socket s, int seconds) throws IOException {
        s.setSoTimeout(seconds * 1000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // drain whatever the server sends before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Test
    void fortySlowHeaderConnectionsAndFourStalledUploadsDoNotStallHealthOrRecognition() throws Exception {
        SerServer server = start(false, 2_000_000, 30, 2);
        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1);
        long rssBefore = rssKb();
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger cutOff = new AtomicInteger();
        // 40 clients sending one header line every 500 ms, reconnecting when the server cuts them off
        ExecutorService attackers = Executors.newFixedThreadPool(40);
        for (int i = 0; i < 40; i++) {
            attackers.submit(() -> {
                while (attacking.get()) {
                    try (Socket s = connect(server)) {
                        OutputStream out = s.getOutputStream();
                        out.write("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                        while (attacking.get()) {
                            Thread.sleep(500);
                            out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    } catch (IOException e) {
                        cutOff.incrementAndGet();
                    } catch (InterruptedException e) {
                        return null;
                    }
                }
                return null;
            });
        }
        // 4 uploads that declare 100 000 bytes, send 1 000 and stall
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = connect(server);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            stalled.add(s);
        }
        Thread.sleep(1000);
        long worstMs = 0;
        int answered = 0;
        try {
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                HttpResponse<String> health = get(server, "/api/v1/health");
                assertEquals(200, health.statusCode(), health.body());
                HttpResponse<String> r = post(server, clip);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("loud", JSON.readTree(r.body()).get("label").asText());
                worstMs = Math.max(worstMs, (System.nanoTime() - t0) / 1_000_000);
                answered += 2;
                Thread.sleep(500);
            }
            // the stalled uploads are cut off at the request deadline, without an answer holding a slot
            for (Socket s : stalled) {
                assertTrue(closedByServer(s, SerServer.REQUEST_DEADLINE_SECONDS + 10), "stalled upload cut off");
            }
        } finally {
            attacking.set(false);
            attackers.shutdownNow();
            assertTrue(attackers.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(worstMs < ANSWER_WITHIN.toMillis(), "worst health + recognise round trip " + worstMs + " ms");
        assertEquals(200, get(server, "/api/v1/health").statusCode());
        System.out.printf(Locale.ROOT, "hostile: slow headers 40 + stalled uploads 4: %d answers 200, worst round "
                + "trip %d ms, %d slow connections cut off, RSS %d -> %d MB%n", answered, worstMs, cutOff.get(),
                rssBefore / 1024, rssKb() / 1024);
    }

    @Test
    void fiftyConcurrentUploadsAreAnsweredOrRefusedNeverHung() throws Exception {
        SerServer server = start(false, 2_000_000, 30, 2);
        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 2, 16000), 16000, 1);
        long rssBefore = rssKb();
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        for (int i = 0; i < 50; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() != 200) {
                        JsonNode o = JSON.readTree(r.body());
                        assertEquals(r.statusCode(), o.get("status").asInt());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, clients));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        clients.shutdown();
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int busy = statuses.getOrDefault(429, new AtomicInteger()).get();
        assertEquals(50, ok + busy, "only 200 and 429: " + statuses);
        assertTrue(ok >= 2, "at least the slots' worth succeeded: " + statuses);
        assertEquals(200, get(server, "/api/v1/health").statusCode());
        assertEquals(200, post(server, clip).statusCode(), "free again");
        System.out.printf(Locale.ROOT, "hostile: 50 concurrent uploads: %d answered 200, %d refused 429, RSS %d -> "
                + "%d MB%n", ok, busy, rssBefore / 1024, rssKb() / 1024);
    }

    @Test
    void uploadedBombsAre413WithinSecondsAndTheServerCarriesOn() throws Exception {
        SerServer server = start(false, 8 << 20, 600, 2); // the serve defaults for audio, 8 MiB uploads
        Path eight = FlacSilence.write(dir.resolve("8ch.flac"), 192_000, 8, 600L * 192_000);
        Path hidden = FlacSilence.write(dir.resolve("8ch-no-total.flac"), 192_000, 8, 600L * 192_000, false);
        Path day = FlacSilence.write(dir.resolve("36h.flac"), 16_000, 1, 36L * 3600 * 16_000);
        long rssBefore = rssKb();
        long worstMs = 0;
        for (Path bomb : List.of(eight, hidden, day)) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofFile(bomb)).build(),
                    HttpResponse.BodyHandlers.ofString());
            worstMs = Math.max(worstMs, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(413, r.statusCode(), bomb + ": " + r.body());
            // 8 channels at 192 kHz pass the sample cap before the duration cap; 36 h of mono the other way round
            assertTrue(r.body().contains("57600000 decoded samples") || r.body().contains("longer than the limit of "
                    + "600.0 s"), r.body());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
        assertEquals(200, post(server, Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1)).statusCode());
        long rssAfter = rssKb();
        System.out.printf(Locale.ROOT, "hostile: 3 uploaded bombs (954 KB 8ch/192k/10min, same without length, 7 MB "
                + "36 h): all 413, slowest %d ms, RSS %d -> %d MB%n", worstMs, rssBefore / 1024, rssAfter / 1024);
    }

    @Test
    void foreignHostsCrossOriginPostsAndOddRequestsGetJsonErrors() throws Exception {
        SerServer server = start(false, 200_000, 30, 2);
        String evil = RawHttp.exchange(server, "GET /api/v1/health HTTP/1.1\r\nHost: evil.example:8080\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(evil.startsWith("HTTP/1.1 403"), evil);
        assertTrue(evil.contains("evil.example") && evil.toLowerCase(Locale.ROOT).contains(
                "x-content-type-options: nosniff"), evil);
        assertEquals(403, JSON.readTree(evil.substring(evil.indexOf("\r\n\r\n") + 4)).get("status").asInt());
        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1);
        URI uri = server.uri().resolve("/api/v1/recognize");
        HttpResponse<String> cross = send(HttpRequest.newBuilder(uri).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofByteArray(clip)));
        assertEquals(403, cross.statusCode(), cross.body());
        assertEquals(403, JSON.readTree(cross.body()).get("status").asInt());
        assertTrue(cross.body().contains("cross-origin"), cross.body());
        String self = "http://127.0.0.1:" + server.address().getPort();
        assertEquals(200, send(HttpRequest.newBuilder(uri).header("Origin", self)
                .POST(HttpRequest.BodyPublishers.ofByteArray(clip))).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/health"))
                .header("Origin", "http://evil.example").GET()).statusCode(), "a GET changes nothing");
        // localhost with a port, and a trailing dot, are this machine
        String local = RawHttp.exchange(server, "GET /api/v1/health HTTP/1.1\r\nHost: localhost.:1\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(local.startsWith("HTTP/1.1 200"), local);
        // odd methods and paths: JSON errors
        HttpResponse<String> options = send(HttpRequest.newBuilder(uri).method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, options.statusCode());
        assertEquals(405, JSON.readTree(options.body()).get("status").asInt());
        HttpResponse<String> deep = get(server, "/" + "a/".repeat(2000));
        assertEquals(404, deep.statusCode());
        System.out.println("hostile: foreign Host 403, cross-origin POST 403, same-origin POST 200, odd requests "
                + "JSON 405/404");
    }

    @Test
    void closeFinishesTheRequestInFlightAndRefusesNewOnes() throws Exception {
        SerServer server = start(true, 200_000, 30, 2);
        FakeRecognizer.Gate gate = new FakeRecognizer.Gate();
        FakeRecognizer.gate = gate;
        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1);
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                server.uri().resolve("/api/v1/recognize")).POST(HttpRequest.BodyPublishers.ofByteArray(clip))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(gate.entered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> refused = null;
        while (System.nanoTime() < deadline) {
            refused = get(server, "/api/v1/health");
            if (refused.statusCode() == 503) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals(503, refused.statusCode(), "new requests refused while draining");
        assertEquals(503, JSON.readTree(refused.body()).get("status").asInt());
        assertTrue(!closing.isDone(), "close waits for the request in flight");
        gate.release.countDown();
        HttpResponse<String> answered = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        closing.get(10, TimeUnit.SECONDS);
    }
}
