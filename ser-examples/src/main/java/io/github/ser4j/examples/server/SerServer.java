package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.dsp.signal.AudioSources;
import io.github.ser4j.examples.analysis.CountingAudioSource;
import io.github.ser4j.examples.analysis.ResultJson;
import io.github.ser4j.examples.analysis.Segments;
import io.github.ser4j.examples.io.Json;
import io.github.ser4j.examples.io.ModelJson;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API and demo page, on the JDK's {@code com.sun.net.httpserver}:
 * <ul>
 *   <li>{@code GET /}: the demo page (upload a file or record from the microphone; probabilities and timeline
 *       charts);</li>
 *   <li>{@code POST /api/v1/recognize[?timeline=true]}: body = encoded audio (WAV, AIFF, AU, FLAC; MP3, Ogg Vorbis,
 *   Opus with ser-audio-codecs, M4A/WebM with ffmpeg too), answer = the
 *       JSON of {@code ser analyze --format json}, plus {@code segments} with {@code timeline=true}.
 *   The body may also be {@code multipart/form-data} ({@code curl -F file=@clip.wav}): the part named {@code file}
 *   is the audio and its file name names the result;</li>
 *   <li>{@code POST /api/v1/live?rate=R}: opens a live session (answer {@code {"id": ...}}, 201); then
 *   {@code POST /api/v1/live/{id}[?end=true]} with 16-bit little-endian mono PCM at {@code R} Hz answers the
 *   segments recognised so far ({@code end=true} finishes and closes it), {@code DELETE /api/v1/live/{id}} drops
 *   it; at most {@code 2 x maxConcurrent + 2} sessions, each up to {@code maxAudioSeconds}, closed after
 *   {@link LiveSessions#IDLE_SECONDS} s idle;</li>
 *   <li>{@code GET /api/v1/model}: the model's name, labels and provenance, and the server's {@code limits};</li>
 *   <li>{@code GET /api/v1/openapi.json}: this API as an OpenAPI 3 document;</li>
 *   <li>{@code GET /samples/{name}.wav}: the demo's synthetic sample clips (espeak-ng, no recorded voices);</li>
 *   <li>{@code GET /api/v1/health}: {@code {"status":"ok"}}.</li>
 * </ul>
 * Every error is JSON {@code {"status": code, "error": message}} with the security headers: 400 empty body or bad
 * parameter, 403 a {@code Host} this server does not answer to or a cross-origin POST, 404, 405, 413 body or audio
 * too large, 415 not a supported audio format, 422 damaged or unusable audio, 429 too many concurrent uploads or
 * recognitions (with {@code Retry-After}), 500 model failure, 503 shutting down.
 *
 * <p>Misbehaving clients cannot stall it: a request must arrive whole (headers and body) within
 * {@link #REQUEST_DEADLINE_SECONDS} s and its answer be taken within {@link #RESPONSE_DEADLINE_SECONDS} s, else the
 * JDK server closes the connection (JVM-wide settings {@code sun.net.httpserver.maxReqTime} / {@code maxRspTime},
 * set here unless already set); handler threads grow to {@link #MAX_THREADS}, so slow connections cannot take them
 * all; a body is read before a recognition slot is taken, and at most {@code 4 x maxConcurrent + 4} bodies are read
 * at once (more: 429). Audio is decoded under a cap on decoded samples ({@code maxAudioSeconds x 96 000}: that many
 * seconds of 48 kHz stereo) and mixed down and resampled to the model's rate while it is decoded, so an upload that
 * expands (a decompression bomb) costs bounded memory and time. The JDK server answers requests it cannot parse
 * (a malformed request line or header) itself, with a short HTML 400; put a reverse proxy in front for any exposure
 * beyond loopback.
 *
 * <p>Thread-safe; {@link #close()} stops it after the requests in flight. The recogniser is shared by all requests
 * and not closed here.
 */
public final class SerServer implements AutoCloseable {
    private static final String PAGE = "index.html";
    private static final String OPENAPI = "openapi.json";
    /** The sample clips the page offers (made by {@code ser-examples/samples/make_samples.sh}). */
    static final List<String> SAMPLES = List.of("hello", "upset", "calm", "conversation");
    private static final String LIVE = "/api/v1/live";
    /** Bytes of an unwanted request body read and dropped before answering, rather than dropping the connection. */
    private static final long DISCARD_LIMIT = 8L << 20;
    /** Seconds a client has to send a whole request, headers and body. */
    public static final int REQUEST_DEADLINE_SECONDS = 10;
    /** Seconds a client has to take a whole answer once it is ready. */
    public static final int RESPONSE_DEADLINE_SECONDS = 30;
    /** Handler threads at most; idle ones end after 30 s. */
    public static final int MAX_THREADS = 256;
    /** Seconds {@link #close()} waits for requests in flight. */
    public static final int SHUTDOWN_GRACE_SECONDS = 30;
    /** Decoded samples accepted per second of {@code maxAudioSeconds}: 48 kHz stereo. */
    public static final long SAMPLES_PER_AUDIO_SECOND = 96_000;
    /** Host names answered besides the configured ones: loopback only. */
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

    static {
        // read once by the JDK server, when the first one starts: a deployment may set its own on the command line
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_DEADLINE_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_DEADLINE_SECONDS));
        }
    }

    private final EmotionRecognizer recognizer;
    private final StreamOptions streamOptions;
    private final ServerConfig config;
    private final Semaphore slots;
    private final Semaphore uploads;
    private final java.util.Set<String> allowedHosts;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] page;
    private final byte[] openApi;
    private final LiveSessions live;

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
        this.uploads = new Semaphore(4 * config.maxConcurrent() + 4);
        java.util.Set<String> hosts = new java.util.HashSet<>(LOOPBACK_NAMES);
        hosts.add(hostName(config.host()));
        config.allowedHosts().forEach(h -> hosts.add(hostName(h)));
        this.allowedHosts = java.util.Set.copyOf(hosts);
        this.page = resource(PAGE);
        this.openApi = resource(OPENAPI);
        this.live = new LiveSessions(recognizer, streamOptions, 2 * config.maxConcurrent() + 2,
                config.maxAudioSeconds());
        // The JDK server reads request headers on these threads: far more threads than recognition slots, so that
        // slow clients (cut off after REQUEST_DEADLINE_SECONDS) cannot take them all from the page and health checks.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "ser-http");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
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

    /**
     * Stops gracefully: new requests get 503, requests in flight finish (for up to {@link #SHUTDOWN_GRACE_SECONDS} s),
     * then the port is released. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
        while (inFlight.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdownNow();
        live.close();
    }

    /** @return requests being handled now (for tests and monitoring) */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** The host part of a {@code Host} header or an address, lower case, without port or IPv6 brackets. */
    static String hostName(String hostPort) {
        String h = hostPort.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon); // name:port (a bare IPv6 address has several colons)
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Refuses a Host this server does not answer to (DNS rebinding) and a POST from another origin. */
    private void checkOrigin(HttpExchange ex, String method) throws HttpError {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host != null && !allowedHosts.contains(hostName(host))) {
            throw new HttpError(403, "host '" + host + "' is not one this server answers to " + allowedHosts.stream()
                    .sorted().toList() + " (a DNS-rebinding guard; add names with --allowed-host)");
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !method.equals("GET") && !method.equals("HEAD")) {
            String originHost;
            try {
                URI u = new URI(origin);
                originHost = u.getHost() == null ? null : hostName(u.getHost());
            } catch (java.net.URISyntaxException e) {
                originHost = null;
            }
            if (originHost == null || !allowedHosts.contains(originHost)) {
                throw new HttpError(403, "cross-origin " + method + " from '" + origin + "' refused: only pages of "
                        + "this server may post to it");
            }
        }
    }

    // package-private: the request-handling fuzz test drives it with in-memory exchanges
    void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            handleCounted(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void handleCounted(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        try {
            if (draining) {
                throw refuse(ex, 503, "the server is shutting down");
            }
            checkOrigin(ex, method);
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
                    ObjectNode o = ModelJson.of(recognizer.model());
                    ObjectNode limits = o.putObject("limits");
                    limits.put("max_upload_bytes", config.maxUploadBytes());
                    limits.put("max_audio_s", config.maxAudioSeconds());
                    limits.put("max_concurrent", config.maxConcurrent());
                    limits.put("max_decoded_samples", maxDecodedSamples());
                    limits.put("request_deadline_s", Integer.getInteger("sun.net.httpserver.maxReqTime",
                            REQUEST_DEADLINE_SECONDS));
                    sendJson(ex, 200, o);
                }
                case "/api/v1/recognize" -> {
                    allow(method, "POST");
                    recognize(ex);
                }
                case "/api/v1/openapi.json" -> {
                    allow(method, "GET");
                    send(ex, 200, "application/json; charset=utf-8", openApi);
                }
                case LIVE -> {
                    allow(method, "POST");
                    liveOpen(ex);
                }
                default -> {
                    if (path.startsWith(LIVE + "/")) {
                        liveChunk(ex, method, path.substring(LIVE.length() + 1));
                    } else if (path.startsWith("/samples/") && path.endsWith(".wav")
                            && SAMPLES.contains(path.substring(9, path.length() - 4))) {
                        allow(method, "GET");
                        send(ex, 200, "audio/wav", resource("samples/" + path.substring(9)));
                    } else {
                        throw new HttpError(404, "no such resource: " + path
                                + " (try GET / or POST /api/v1/recognize)");
                    }
                }
            }
            ex.close();
        } catch (HttpError e) {
            if (e.status == 403 && !e.closeConnection) {
                e = refuse(ex, e.status, e.getMessage());
            }
            if (e.status == 405) {
                ex.getResponseHeaders().set("Allow", e.getMessage().substring(e.getMessage().lastIndexOf(' ') + 1));
            }
            if (e.status == 429 || e.status == 503) {
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
        if (!uploads.tryAcquire()) {
            throw refuse(ex, 429, "too many uploads at once (limit " + (4 * config.maxConcurrent() + 4)
                    + "); retry shortly");
        }
        try {
            // the body first, under the JDK server's request deadline: a client that stalls holds no recognition slot
            byte[] body = readBody(ex.getRequestBody());
            if (Multipart.isFormData(ex.getRequestHeaders().getFirst("Content-Type"))) {
                Multipart.Part part = Multipart.filePart(ex.getRequestHeaders().getFirst("Content-Type"), body);
                body = part.data();
                if (part.fileName() != null && !part.fileName().isBlank() && !query.containsKey("name")) {
                    name = part.fileName();
                }
            }
            if (body.length == 0) {
                throw new HttpError(400, "empty request body: POST the audio file's bytes (WAV, AIFF, AU, FLAC, MP3, Ogg, Opus...)");
            }
            if (!slots.tryAcquire()) {
                throw new HttpError(429, "too many concurrent recognitions (limit " + config.maxConcurrent()
                        + "); retry shortly");
            }
            try {
                sendJson(ex, 200, analyze(name, body, timeline));
            } finally {
                slots.release();
            }
        } finally {
            uploads.release();
        }
    }

    /** {@code POST /api/v1/live?rate=R}: a new live session. */
    private void liveOpen(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        int rate;
        try {
            rate = Integer.parseInt(query.getOrDefault("rate", ""));
        } catch (NumberFormatException e) {
            rate = -1;
        }
        if (rate < 4000 || rate > 192_000) {
            throw refuse(ex, 400, "parameter rate must be the PCM's sample rate in Hz, 4000-192000, got '"
                    + query.getOrDefault("rate", "") + "'");
        }
        discard(ex.getRequestBody(), DISCARD_LIMIT);
        LiveSessions.Live l = live.open(rate);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", l.id);
        o.put("sample_rate", rate);
        o.put("encoding", "s16le");
        o.put("max_audio_s", config.maxAudioSeconds());
        o.put("idle_timeout_s", LiveSessions.IDLE_SECONDS);
        sendJson(ex, 201, o);
    }

    /** {@code POST /api/v1/live/{id}[?end=true]} (a PCM chunk) or {@code DELETE /api/v1/live/{id}}. */
    private void liveChunk(HttpExchange ex, String method, String id) throws IOException, HttpError {
        if (method.equals("DELETE")) {
            discard(ex.getRequestBody(), DISCARD_LIMIT);
            if (!live.close(id)) {
                throw new HttpError(404, "no live session '" + (id.length() > 40 ? id.substring(0, 40) : id) + "'");
            }
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("status", "closed");
            sendJson(ex, 200, o);
            return;
        }
        if (!method.equals("POST")) {
            throw refuse(ex, 405, "method " + method + " not allowed; use POST,DELETE");
        }
        boolean end;
        try {
            end = flag(query(ex.getRequestURI().getRawQuery()), "end");
        } catch (HttpError e) {
            throw refuse(ex, e.status, e.getMessage());
        }
        if (contentLength(ex.getRequestHeaders()) > config.maxUploadBytes()) {
            throw refuse(ex, 413, "chunk exceeds the limit of " + config.maxUploadBytes() + " bytes");
        }
        if (!uploads.tryAcquire()) {
            throw refuse(ex, 429, "too many uploads at once; retry shortly");
        }
        try {
            byte[] pcm = readBody(ex.getRequestBody());
            boolean slot;
            try {
                slot = slots.tryAcquire(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                slot = false;
            }
            if (!slot) {
                throw new HttpError(429, "too many concurrent recognitions (limit " + config.maxConcurrent()
                        + "); retry shortly");
            }
            try {
                LiveSessions.Chunk c = live.feed(id, pcm, end);
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("position_s", ResultJson.round(c.positionSeconds()));
                o.put("ended", c.ended());
                ResultJson.putSegments(o, c.segments());
                sendJson(ex, 200, o);
            } catch (InferenceException e) {
                throw new HttpError(500, "the model failed: " + e.getMessage());
            } finally {
                slots.release();
            }
        } finally {
            uploads.release();
        }
    }

    private long maxDecodedSamples() {
        return (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(config.maxAudioSeconds() * SAMPLES_PER_AUDIO_SECOND));
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
            RecordingPrediction whole = recognizer.analyze(AudioSource.of(audio.mono, audio.rate));
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("file", name);
            o.put("ok", true);
            o.put("duration_s", ResultJson.round(audio.seconds));
            ResultJson.putRecording(o, whole.speechSeconds(), whole.windows());
            ResultJson.putPrediction(o, whole.prediction());
            if (timeline) {
                List<EmotionSegment> segments = new ArrayList<>();
                try (SegmentStream s = recognizer.stream(AudioSource.of(audio.mono, audio.rate), streamOptions)) {
                    s.forEachRemaining(segments::add);
                }
                ResultJson.putSegments(o, Segments.mergeSameSpans(segments));
            }
            return o;
        } catch (AudioLimitException e) {
            throw new HttpError(413, "audio too large when decoded: " + e.getMessage());
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

    /** An upload decoded to mono at the model's rate; {@code seconds} is its duration at its own rate. */
    private record Decoded(float[] mono, int rate, double seconds) {
    }

    /**
     * Decodes an upload under the decoded-sample cap, mixed down and resampled to the model's rate while decoding:
     * memory is at most {@code maxAudioSeconds} of mono at that rate, whatever the upload's channels and rate.
     */
    private Decoded decode(byte[] body) throws HttpError {
        try (CountingAudioSource source = new CountingAudioSource(AudioSources.limit(
                AudioSource.open(new ByteArrayInputStream(body)), maxDecodedSamples()))) {
            PcmFormat f = source.format();
            int rate = recognizer.model().sampleRate() > 0 ? recognizer.model().sampleRate() : f.sampleRate();
            long maxSourceFrames = (long) Math.ceil(config.maxAudioSeconds() * f.sampleRate());
            long maxFrames = (long) Math.min(Integer.MAX_VALUE - 8, Math.ceil(config.maxAudioSeconds() * rate) + 64);
            AudioSource mono = AudioSources.monoAt(source, rate);
            float[] data = new float[(int) Math.min(maxFrames, 1 << 16)];
            int n = 0;
            while (true) {
                if (n == data.length) {
                    if (n >= maxFrames) {
                        throw tooLong();
                    }
                    data = Arrays.copyOf(data, (int) Math.min(maxFrames, 2L * data.length));
                }
                int r = mono.read(data, n, data.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (source.framesRead() > maxSourceFrames) {
                    throw tooLong();
                }
            }
            if (n == 0 || source.framesRead() == 0) {
                throw new HttpError(422, "the audio holds no samples");
            }
            return new Decoded(Arrays.copyOf(data, n), rate, source.framesRead() / (double) f.sampleRate());
        } catch (IOException e) {
            throw new HttpError(422, "cannot read the audio: " + e.getMessage());
        }
    }

    private HttpError tooLong() {
        return new HttpError(413, "audio longer than the limit of " + config.maxAudioSeconds() + " s");
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

    private static byte[] resource(String name) {
        try (InputStream in = SerServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the demo's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
