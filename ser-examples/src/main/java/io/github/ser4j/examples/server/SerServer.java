package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.io.Json;
import io.github.ser4j.examples.io.ModelJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The HTTP API and demo page, on the JDK's {@code com.sun.net.httpserver}:
 * <ul>
 *   <li>{@code GET /}: the demo page (upload a file or record from the microphone; probabilities and timeline
 *       charts);</li>
 *   <li>{@code POST /api/v1/recognize[?timeline=true][&denoise=true|false]}: body = encoded audio (WAV, AIFF, AU,
 *   FLAC; MP3, Ogg Vorbis, Opus with ser-audio-codecs, M4A/WebM with ffmpeg too), answer = the
 *       JSON of {@code ser analyze --format json}, plus {@code segments} with {@code timeline=true}.
 *   The body may also be {@code multipart/form-data} ({@code curl -F file=@clip.wav}): the part named {@code file}
 *   is the audio and its file name names the result;</li>
 *   <li>{@code POST /api/v1/live?rate=R[&denoise=true|false]}: opens a live session (answer {@code {"id": ...}},
 *   201); then
 *   {@code POST /api/v1/live/{id}[?end=true]} with 16-bit little-endian mono PCM at {@code R} Hz answers the
 *   segments recognised so far ({@code end=true} finishes and closes it), {@code DELETE /api/v1/live/{id}} drops
 *   it; at most {@code 2 x maxConcurrent + 2} sessions, each up to {@code maxAudioSeconds}, closed after
 *   {@link LiveSessions#IDLE_SECONDS} s idle;</li>
 *   <li>{@code GET /api/v1/model}: the model's name, labels and provenance, the server's {@code limits}, and
 *   {@code denoise} ({@code per_request}, {@code default});</li>
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
 * <p>This class binds, routes and drains; each concern has its own package-private file: {@link RecognizeEndpoint},
 * {@link LiveEndpoint} (over {@link LiveSessions}), {@link StaticAssets} (page, OpenAPI document, samples),
 * {@link HostGuard} (Host and Origin checks), {@link Requests} (query, body and limits) and {@link Answers} (JSON
 * answers, errors and security headers).
 *
 * <p>{@code denoise=true|false} on the recognise and live-open requests chooses noise reduction
 * ({@link io.github.ser4j.api.RecognizerOptions#denoise()}) for that request; without it the server's setting
 * ({@code ser serve --denoise}) applies; another value gets 400 naming the parameter. The server then keeps one
 * recogniser per setting ({@link Recognizers}), the second opened when first asked for.
 *
 * <p>Thread-safe; {@link #close()} stops it after the requests in flight. The recognisers are shared by all requests;
 * a single one given to the server is not closed by it, those of {@link Recognizers#open} are.
 */
public final class SerServer implements AutoCloseable {
    private static final String LIVE = "/api/v1/live";
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

    static {
        // read once by the JDK server, when the first one starts: a deployment may set its own on the command line
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_DEADLINE_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_DEADLINE_SECONDS));
        }
    }

    private final Recognizers recognizers;
    private final ServerConfig config;
    private final HostGuard hosts;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpServer server;
    private final ExecutorService executor;
    private final StaticAssets assets;
    private final LiveSessions live;
    private final RecognizeEndpoint recognize;
    private final LiveEndpoint liveEndpoint;

    /**
     * Binds and starts a server answering every request with one recogniser, which it does not close; requests
     * cannot choose denoising ({@code denoise=} gets 400).
     *
     * @param recognizer    the shared model
     * @param streamOptions windowing for timelines
     * @param config        address and limits
     * @throws UncheckedIOException if the address cannot be bound
     */
    public SerServer(EmotionRecognizer recognizer, StreamOptions streamOptions, ServerConfig config) {
        this(Recognizers.single(recognizer), streamOptions, config);
    }

    /**
     * Binds and starts a server whose requests may choose {@code denoise=true|false}; {@link #close()} closes the
     * recognisers (if this constructor throws, the caller does).
     *
     * @param recognizers   the shared models, one per denoise setting
     * @param streamOptions windowing for timelines
     * @param config        address and limits
     * @throws UncheckedIOException if the address cannot be bound
     */
    public SerServer(Recognizers recognizers, StreamOptions streamOptions, ServerConfig config) {
        this(recognizers, streamOptions, config, Duration.ofSeconds(LiveSessions.IDLE_SECONDS), System::nanoTime);
    }

    /**
     * Binds and starts a server whose live sessions expire after {@code liveIdle} on {@code clock} (for tests).
     *
     * @param liveIdle time without a chunk after which a live session is closed
     * @param clock    nanoseconds, as {@link System#nanoTime()}
     */
    SerServer(Recognizers recognizers, StreamOptions streamOptions, ServerConfig config, Duration liveIdle,
              LongSupplier clock) {
        this.recognizers = Objects.requireNonNull(recognizers, "recognizers");
        Objects.requireNonNull(streamOptions, "streamOptions");
        this.config = Objects.requireNonNull(config, "config");
        Semaphore slots = new Semaphore(config.maxConcurrent());
        Semaphore uploads = new Semaphore(4 * config.maxConcurrent() + 4);
        this.hosts = new HostGuard(config);
        this.assets = new StaticAssets();
        this.live = new LiveSessions(streamOptions, 2 * config.maxConcurrent() + 2, config.maxAudioSeconds(),
                liveIdle, clock);
        this.recognize = new RecognizeEndpoint(recognizers, streamOptions, config, slots, uploads);
        this.liveEndpoint = new LiveEndpoint(live, recognizers, config, slots, uploads);
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

    /** {@return the address actually bound (with the real port when 0 was asked)} */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@return the page's URL, e.g. {@code http://127.0.0.1:8080/}} */
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
     * then the port is released, the live sessions are closed, and the recognisers if they were given as
     * {@link Recognizers#open(java.util.function.Function, io.github.ser4j.api.RecognizerOptions)} made them.
     * Idempotent.
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
        try {
            live.close();
        } finally {
            recognizers.close();
        }
    }

    /** {@return requests being handled now (for tests and monitoring)} */
    public int requestsInFlight() {
        return inFlight.get();
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
                throw Requests.refuse(ex, 503, "the server is shutting down");
            }
            hosts.check(ex, method);
            route(ex, path, method);
            ex.close();
        } catch (HttpError e) {
            Answers.sendError(ex, e);
        } catch (RuntimeException e) {
            Answers.sendError(ex, 500, "internal error: " + e);
            ex.close();
        }
    }

    private void route(HttpExchange ex, String path, String method) throws IOException, HttpError {
        switch (path) {
            case "/", "/index.html" -> {
                Requests.allow(method, "GET");
                Answers.send(ex, 200, "text/html; charset=utf-8", assets.page);
            }
            case "/api/v1/health" -> {
                Requests.allow(method, "GET");
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("status", "ok");
                Answers.sendJson(ex, 200, o);
            }
            case "/api/v1/model" -> {
                Requests.allow(method, "GET");
                Answers.sendJson(ex, 200, modelJson());
            }
            case "/api/v1/recognize" -> {
                Requests.allow(method, "POST");
                recognize.handle(ex);
            }
            case "/api/v1/openapi.json" -> {
                Requests.allow(method, "GET");
                Answers.send(ex, 200, Answers.JSON, assets.openApi);
            }
            case LIVE -> {
                Requests.allow(method, "POST");
                liveEndpoint.open(ex);
            }
            default -> {
                if (path.startsWith(LIVE + "/")) {
                    liveEndpoint.chunk(ex, method, path.substring(LIVE.length() + 1));
                } else if (StaticAssets.isSample(path)) {
                    Requests.allow(method, "GET");
                    Answers.send(ex, 200, "audio/wav", StaticAssets.sample(path));
                } else {
                    throw new HttpError(404, "no such resource: " + path
                            + " (try GET / or POST /api/v1/recognize)");
                }
            }
        }
    }

    /**
     * {@code GET /api/v1/model}: the model's name, labels and provenance, this server's limits, and {@code denoise}:
     * whether requests may choose ({@code per_request}) and, if so, what they get by default ({@code default}).
     */
    private ObjectNode modelJson() {
        ObjectNode o = ModelJson.of(recognizers.primary().model());
        ObjectNode limits = o.putObject("limits");
        limits.put("max_upload_bytes", config.maxUploadBytes());
        limits.put("max_audio_s", config.maxAudioSeconds());
        limits.put("max_concurrent", config.maxConcurrent());
        limits.put("max_decoded_samples", RecognizeEndpoint.maxDecodedSamples(config));
        limits.put("request_deadline_s", Integer.getInteger("sun.net.httpserver.maxReqTime",
                REQUEST_DEADLINE_SECONDS));
        ObjectNode denoise = o.putObject("denoise");
        denoise.put("per_request", recognizers.perRequestDenoise());
        if (recognizers.perRequestDenoise()) {
            denoise.put("default", recognizers.defaultDenoise());
        }
        return o;
    }
}
