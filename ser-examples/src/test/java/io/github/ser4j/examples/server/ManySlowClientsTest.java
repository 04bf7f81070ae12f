package io.github.ser4j.examples.server;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.FakeRecognizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More slow clients than the JDK server had threads (256): 300 connections that send part of their headers and stall,
 * 10 that trickle header lines and 4 uploads that stall mid-body. Health and recognition keep answering within 5 s,
 * no thread is held per slow connection, and every slow one is cut off at the request deadline (3 s here, through
 * the package-private constructor, so that the test takes seconds) while the connections that send nothing more
 * would only meet the 30 s idle timeout; and 300 refused uploads that stall mid-body get their answer at once, but
 * for the few whose bodies a handler may wait for. Prints {@code hostile:} lines of figures (docs/HOSTILE.md).
 */
class ManySlowClientsTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    private FakeRecognizer recognizer;
    private SerServer server;

    @AfterEach
    void stop() throws IOException {
        trickle.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
    }

    private Socket connect(String partialRequest) throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** What {@link #nextByte} returns when the deadline passed first. */
    private static final int TIMED_OUT = -2;

    /** The next byte on {@code s}, -1 at its end, or {@link #TIMED_OUT} if none came before {@code deadlineNanos}. */
    private static int nextByte(Socket s, long deadlineNanos) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            return TIMED_OUT;
        }
        s.setSoTimeout((int) left);
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException e) {
            return TIMED_OUT;
        }
    }

    /** Whether the server closed (or reset) the connection before {@code deadlineNanos}. */
    private static boolean closedBy(Socket s, long deadlineNanos) {
        while (true) {
            int c;
            try {
                c = nextByte(s, deadlineNanos);
            } catch (IOException e) {
                return true;
            }
            if (c == TIMED_OUT) {
                return false;
            }
            if (c < 0) {
                return true;
            }
        }
    }

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ser-http")).count();
    }

    @Test
    void threeHundredStalledHeadersDoNotStallHealthAndAreCutOffAtTheDeadline() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        recognizer = (FakeRecognizer) EmotionRecognizer.create(card);
        server = new SerServer(Recognizers.single(recognizer),
                StreamOptions.builder().windowSeconds(0.5).hopSeconds(0.25).build(),
                new ServerConfig("127.0.0.1", 0, 200_000, 30, 2), Duration.ofSeconds(30), System::nanoTime, DEADLINE);
        long threadsBefore = serverThreads();
        long t0 = System.nanoTime();
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            slow.add(connect("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
        }
        for (int i = 0; i < 10; i++) {
            Socket s = connect("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            slow.add(s);
            trickle.scheduleWithFixedDelay(() -> {
                try {
                    s.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new IllegalStateException("cut off", e); // ends this client's trickle
                }
            }, 300, 300, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 4; i++) {
            Socket s = connect("POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n");
            s.getOutputStream().write(new byte[1000]);
            slow.add(s);
        }
        long connectedMs = (System.nanoTime() - t0) / 1_000_000;

        byte[] clip = Wav.bytes(Wav.sine(0.5, 440, 1, 16000), 16000, 1);
        long worstHealthMs = 0;
        long worstRecognizeMs = 0;
        for (int round = 0; round < 3; round++) {
            long h0 = System.nanoTime();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/health"))
                    .timeout(ANSWER_WITHIN).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            worstHealthMs = Math.max(worstHealthMs, (System.nanoTime() - h0) / 1_000_000);
            long r0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/recognize"))
                    .timeout(ANSWER_WITHIN).POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            worstRecognizeMs = Math.max(worstRecognizeMs, (System.nanoTime() - r0) / 1_000_000);
        }
        assertTrue(worstHealthMs < ANSWER_WITHIN.toMillis() && worstRecognizeMs < ANSWER_WITHIN.toMillis());
        // a connection still sending its headers holds no thread: busy are Jetty's acceptor and selector, the 4
        // handlers waiting for their stalled bodies, and little else
        int busyDuring = server.busyThreads();
        long threadsDuring = serverThreads();
        assertTrue(busyDuring < 20, busyDuring + " busy threads for 314 slow connections");

        // all cut off at the deadline (plus the sweep's period and scheduling slack), long before the idle timeout
        long cutBy = t0 + DEADLINE.toNanos() + TimeUnit.SECONDS.toNanos(5);
        int cut = 0;
        for (Socket s : slow) {
            if (closedBy(s, cutBy)) {
                cut++;
            }
        }
        long allCutMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(slow.size(), cut, "slow connections cut off within the deadline + 5 s");
        assertTrue(server.connectionsCutOff() >= slow.size(), "cut off by the deadline, not the idle timeout");
        assertTrue(allCutMs < TimeUnit.SECONDS.toMillis(SerServer.IDLE_TIMEOUT_SECONDS), allCutMs + " ms");
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/health"))
                .timeout(ANSWER_WITHIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode());
        System.out.printf(Locale.ROOT, "hostile: 300 stalled headers + 10 trickling + 4 stalled uploads (connected "
                + "in %d ms): worst health %d ms, worst recognise %d ms, %d busy threads (%d -> %d started), "
                + "all %d cut off %d ms after the first connect (deadline %d s)%n", connectedMs, worstHealthMs,
                worstRecognizeMs, busyDuring, threadsBefore, threadsDuring, cut, allCutMs, DEADLINE.toSeconds());
    }

    /** The status line of the answer on {@code s}, or null if none came before {@code deadlineNanos}. */
    private static String statusLine(Socket s, long deadlineNanos) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = nextByte(s, deadlineNanos);
            if (c == TIMED_OUT) {
                return null;
            }
            if (c < 0 || c == '\n') {
                return line.toString().strip();
            }
            line.append((char) c);
        }
    }

    @Test
    void threeHundredRefusedStalledUploadsHoldNoThreadAndGetTheirAnswerAtOnce() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        recognizer = (FakeRecognizer) EmotionRecognizer.create(card);
        server = new SerServer(Recognizers.single(recognizer),
                StreamOptions.builder().windowSeconds(0.5).hopSeconds(0.25).build(),
                new ServerConfig("127.0.0.1", 0, 2_000_000, 30, 2), Duration.ofSeconds(30), System::nanoTime, DEADLINE);
        long t0 = System.nanoTime();
        List<Socket> refused = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // a Host this server does not answer to (403), a bad parameter (400) or a 100-continue that never sends:
            // each declares 1 MB, sends 1 KB (or nothing) and stalls
            String head = switch (i % 3) {
                case 0 -> "POST /api/v1/recognize HTTP/1.1\r\nHost: evil.example\r\n";
                case 1 -> "POST /api/v1/live?rate=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n";
                default -> "POST /api/v1/recognize?timeline=maybe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Expect: 100-continue\r\n";
            };
            Socket s = connect(head + "Content-Length: 1000000\r\n\r\n");
            if (i % 3 != 2) {
                s.getOutputStream().write(new byte[1024]);
            }
            refused.add(s);
        }
        long health0 = System.nanoTime();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/health"))
                .timeout(ANSWER_WITHIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        long healthMs = (System.nanoTime() - health0) / 1_000_000;
        assertEquals(200, health.statusCode(), health.body());
        // the refused clients have their answer long before the request deadline: no handler waits for a body but
        // the few that hold a discard permit (Requests.MAX_DISCARDS), which the deadline then cuts off
        long answersBy = t0 + DEADLINE.toNanos() / 2;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, answersBy - System.nanoTime()));
        int answered = 0;
        for (Socket s : refused) {
            // an answer given at once is waiting in the socket by now
            String status = statusLine(s, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
            if (status != null && (status.startsWith("HTTP/1.1 403") || status.startsWith("HTTP/1.1 400"))) {
                answered++;
            }
        }
        long answeredMs = (System.nanoTime() - t0) / 1_000_000;
        int busy = server.busyThreads();
        assertTrue(answered >= refused.size() - Requests.MAX_DISCARDS,
                answered + " of 300 refused uploads answered 403/400 before the deadline");
        assertTrue(busy <= Requests.MAX_DISCARDS + 6, busy + " busy threads once the refused uploads were answered");
        System.out.printf(Locale.ROOT, "hostile: 300 refused stalled uploads (403 / 400 / 100-continue): health %d ms, "
                + "%d answered at once, %d busy threads after, %d ms after the first connect (deadline %d s)%n",
                healthMs, answered, busy, answeredMs, DEADLINE.toSeconds());
    }
}
