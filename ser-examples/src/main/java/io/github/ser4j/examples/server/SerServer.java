package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.examples.analysis.ResultJson;
import io.github.ser4j.examples.io.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API and demo page, on the JDK's {@code com.sun.net.httpserver}:
 * <ul>
 *   <li>{@code GET /}: the demo page (upload a file or record from the microphone; probabilities and timeline
 *       charts);</li>
 *   <li>{@code POST /api/v1/recognize[?timeline=true]}: body = encoded audio (WAV, AIFF, AU, FLAC; MP3, Ogg Vorbis,
 *   Opus with ser-audio-codecs, M4A/WebM with ffmpeg too), answer = the
 *       JSON of {@code ser analyze --format json}, plus {@code segments} with {@code timeline=true};</li>
 *   <li>{@code GET /api/v1/model}: the model's name, labels and provenance, and the server's {@code limits};</li>
 *   <li>{@code GET /api/v1/health}: {@code {"status":"ok"}}.</li>
 * </ul>
 * Every error is JSON {@code {"status": code, "error": message}}: 400 empty body or bad parameter, 404, 405, 413
 * body or audio too large, 415 not a supported audio format, 422 damaged or unusable audio, 429 too many concurrent
 * recognitions (with {@code Retry-After}), 500 model failure.
 *
 * <p>Thread-safe; {@link #close()} stops it. The recogniser is shared by all requests and not closed here.
 */
public final class SerServer implements AutoCloseable {
    private static final String PAGE = "index.html";
    /** Bytes of an unwanted request body read and dropped before answering, rather than dropping the connection. */
    private static final long DISCARD_LIMIT = 8L << 20;

    private final EmotionRecognizer recognizer;
    private final StreamOptions streamOptions;
    private final ServerConfig config;
    private final Semaphore slots;
    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] page;

    /**
     * Binds and starts the server.
     *
     * @param recognizer    the shared model
     * @param streamOptions windowing for timelines
     * @param config        address and limits
     * @throws UncheckedIOException if the address cannot be bound
     */
    public SerServer(EmotionRecognizer recognizer, StreamOptions streamOptions, ServerConfig config) {
        this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
        this.streamOptions = Objects.requireNonNull(streamOptions, "streamOptions");
        this.config = Objects.requireNonNull(config, "config");
        this.slots = new Semaphore(config.maxConcurrent());
        this.page = loadPage();
        // More threads than recognition slots, so that 429s, the page and health checks are answered at once.
        int threads = 2 * config.maxConcurrent() + 4;
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "ser-http");
                    t.setDaemon(true);
                    return t;
                });
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return the address actually bound (with the real port when 0 was asked) */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** @return the page's URL, e.g. {@code http://127.0.0.1:8080/} */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Stops at once (requests in flight are cut off) and releases the port. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // package-private: the request-handling fuzz test drives it with in-memory exchanges
    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        try {
            switch (path) {
                case "/", "/index.html" -> {
                    allow(method, "GET");
                    send(ex, 200, "text/html; charset=utf-8", page);
                }
                case "/api/v1/health" -> {
                    allow(method, "GET");
                    ObjectNode o = Json.MAPPER.createObjectNode();
                    o.put("status", "ok");
                    sendJson(ex, 200, o);
                }
                case "/api/v1/model" -> {
                    allow(method, "GET");
                    ObjectNode o = modelJson(recognizer.model());
                    ObjectNode limits = o.putObject("limits");
                    limits.put("max_upload_bytes", config.maxUploadBytes());
                    limits.put("max_audio_s", config.maxAudioSeconds());
                    limits.put("max_concurrent", config.maxConcurrent());
                    sendJson(ex, 200, o);
                }
                case "/api/v1/recognize" -> {
                    allow(method, "POST");
                    recognize(ex);
                }
                default -> throw new HttpError(404, "no such resource: " + path
                        + " (try GET / or POST /api/v1/recognize)");
            }
            ex.close();
        } catch (HttpError e) {
            if (e.status == 405) {
                ex.getResponseHeaders().set("Allow", e.getMessage().substring(e.getMessage().lastIndexOf(' ') + 1));
            }
            if (e.status == 429) {
                ex.getResponseHeaders().set("Retry-After", "1");
            }
            if (e.closeConnection) {
                // Draining a huge or endless body would tie up a thread: answer, then let the JDK server drop the
                // connection (it closes it when a handler throws after the response has been flushed).
                ex.getResponseHeaders().set("Connection", "close");
                byte[] body = errorJson(e.status, e.getMessage());
                setHeaders(ex, "application/json; charset=utf-8");
                ex.sendResponseHeaders(e.status, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body);
                out.flush();
                // Not ex.close(): that would drain the body.
                throw new IOException("request body refused (" + e.status + "); connection dropped");
            }
            sendError(ex, e.status, e.getMessage());
            ex.close();
        } catch (RuntimeException e) {
            sendError(ex, 500, "internal error: " + e);
            ex.close();
        }
    }

    private static void allow(String method, String allowed) throws HttpError {
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            throw new HttpError(405, "method " + method + " not allowed; use " + allowed);
        }
    }

    private void recognize(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String name = query.getOrDefault("name", "upload");
        long declared = contentLength(ex.getRequestHeaders());
        boolean timeline;
        try {
            timeline = flag(query, "timeline");
        } catch (HttpError e) {
            throw refuse(ex, e.status, e.getMessage());
        }
        if (declared > config.maxUploadBytes()) {
            throw refuse(ex, 413, "upload of " + declared + " bytes exceeds the limit of "
                    + config.maxUploadBytes() + " bytes");
        }
        if (!slots.tryAcquire()) {
            throw refuse(ex, 429, "too many concurrent recognitions (limit " + config.maxConcurrent()
                    + "); retry shortly");
        }
        try {
            byte[] body = readBody(ex.getRequestBody());
            if (body.length == 0) {
                throw new HttpError(400, "empty request body: POST the audio file's bytes (WAV, AIFF, AU, FLAC, MP3, Ogg, Opus...)");
            }
            sendJson(ex, 200, analyze(name, body, timeline));
        } finally {
            slots.release();
        }
    }

    /**
     * An error for a request whose body has not been read: a small remainder is read and dropped so that the client
     * surely receives the answer on a reusable connection; beyond {@link #DISCARD_LIMIT} the connection is dropped.
     */
    private static HttpError refuse(HttpExchange ex, int status, String message) throws IOException {
        long declared = contentLength(ex.getRequestHeaders());
        boolean small = declared >= 0 ? declared <= DISCARD_LIMIT
                : ex.getRequestHeaders().getFirst("Transfer-Encoding") != null;
        return new HttpError(status, message, !(small && discard(ex.getRequestBody(), DISCARD_LIMIT)));
    }

    /** Reads and drops up to {@code max} bytes; true if the stream ended within them. */
    private static boolean discard(InputStream in, long max) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - total))) > 0) {
            total += n;
            if (total > max) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode analyze(String name, byte[] body, boolean timeline) throws HttpError {
        try {
            Decoded audio = decode(body);
            EmotionPrediction whole = recognizer.recognize(AudioSource.of(audio.samples, audio.format));
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("file", name);
            o.put("ok", true);
            o.put("duration_s", ResultJson.round(audio.seconds()));
            ResultJson.putPrediction(o, whole);
            if (timeline) {
                List<EmotionSegment> segments = new ArrayList<>();
                try (SegmentStream s = recognizer.stream(AudioSource.of(audio.samples, audio.format),
                        streamOptions)) {
                    s.forEachRemaining(segments::add);
                }
                ResultJson.putSegments(o, segments);
            }
            return o;
        } catch (UnsupportedAudioException e) {
            throw new HttpError(415, "unsupported audio: " + e.getMessage());
        } catch (CorruptAudioException | IllegalArgumentException e) {
            throw new HttpError(422, "unusable audio: " + e.getMessage());
        } catch (AudioException e) {
            throw new HttpError(422, "cannot read the audio: " + e.getMessage());
        } catch (InferenceException e) {
            throw new HttpError(500, "the model failed: " + e.getMessage());
        }
    }

    /** Interleaved samples of a whole upload. */
    private record Decoded(float[] samples, PcmFormat format, int frames) {
        double seconds() {
            return frames / (double) format.sampleRate();
        }
    }

    private Decoded decode(byte[] body) throws HttpError {
        try (AudioSource source = AudioSource.open(new ByteArrayInputStream(body))) {
            PcmFormat f = source.format();
            long maxFrames = (long) Math.ceil(config.maxAudioSeconds() * f.sampleRate());
            int ch = f.channels();
            float[] data = new float[Math.max(ch, (int) Math.min(f.sampleRate() * (long) ch, 1 << 20) / ch * ch)];
            int frames = 0;
            int n;
            while (true) {
                if ((frames + 1L) * ch > data.length) {
                    long grown = Math.min((long) data.length * 2, (maxFrames + 1) * ch);
                    if (grown > Integer.MAX_VALUE - 8) {
                        throw new HttpError(413, "audio too long");
                    }
                    data = Arrays.copyOf(data, (int) grown);
                }
                n = source.read(data, frames * ch, data.length / ch - frames);
                if (n < 0) {
                    break;
                }
                frames += n;
                if (frames > maxFrames) {
                    throw new HttpError(413, "audio longer than the limit of " + config.maxAudioSeconds() + " s");
                }
            }
            if (frames == 0) {
                throw new HttpError(422, "the audio holds no samples");
            }
            return new Decoded(Arrays.copyOf(data, frames * ch), f, frames);
        } catch (IOException e) {
            throw new HttpError(422, "cannot read the audio: " + e.getMessage());
        }
    }

    private byte[] readBody(InputStream in) throws IOException, HttpError {
        long limit = config.maxUploadBytes();
        byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 16)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > limit) {
                    boolean ended = discard(in, DISCARD_LIMIT);
                    throw new HttpError(413, "upload exceeds the limit of " + limit + " bytes", !ended);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        if (len > limit) {
            throw new HttpError(413, "upload exceeds the limit of " + limit + " bytes");
        }
        return Arrays.copyOf(buf, len);
    }

    /** The declared body length, or -1 when not declared (or unparseable: the JDK server rejects those first). */
    private static long contentLength(Headers h) {
        String v = h.getFirst("Content-Length");
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    private static boolean flag(Map<String, String> query, String name) throws HttpError {
        String v = query.get(name);
        if (v == null || v.equals("false") || v.equals("0")) {
            return false;
        }
        if (v.isEmpty() || v.equals("true") || v.equals("1")) {
            return true;
        }
        throw new HttpError(400, "parameter " + name + " must be true or false, got '" + v + "'");
    }

    static ObjectNode modelJson(ModelInfo m) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", m.name());
        o.put("version", m.version());
        ArrayNode labels = o.putArray("labels");
        m.labels().forEach(labels::add);
        o.put("sample_rate", m.sampleRate());
        o.put("window_s", m.windowSeconds());
        o.put("hop_s", m.hopSeconds());
        o.put("license", m.license());
        o.put("description", m.description());
        return o;
    }

    private void sendError(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json; charset=utf-8", errorJson(status, message));
    }

    private static byte[] errorJson(int status, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("status", status);
        o.put("error", message);
        return Json.line(o).getBytes(StandardCharsets.UTF_8);
    }

    private static void sendJson(HttpExchange ex, int status, ObjectNode o) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.line(o).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        setHeaders(ex, type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void setHeaders(HttpExchange ex, String type) {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
                + "connect-src 'self'");
    }

    private static byte[] loadPage() {
        try (InputStream in = SerServer.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("the demo page " + PAGE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
