package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.io.Json;
import io.github.ser4j.examples.io.ModelJson;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The HTTP API and demo page, on Jetty's core HTTP server (12.1, no servlets):
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
 * <p>Requests Jetty cannot parse (a malformed request line or header: 400; headers over
 * {@link #MAX_REQUEST_HEADER_BYTES}: 431; a longer URI: 414; an unknown HTTP version: 505) get the same JSON error
 * with the same headers.
 *
 * <p>Misbehaving clients cannot stall it: a request must arrive whole (headers and body) within
 * {@link #REQUEST_DEADLINE_SECONDS} s (of the connection's opening, for its first request) and its answer be taken
 * within {@link #RESPONSE_DEADLINE_SECONDS} s, else the connection is closed; a kept-alive connection waiting for its
 * next request is closed after {@link #IDLE_TIMEOUT_SECONDS} s. Connections are served by Jetty's non-blocking I/O:
 * a client still sending its headers holds no thread, so slow clients cannot take the {@link #MAX_THREADS} threads
 * from the page and health checks; a refused request's body is dropped as far as it has arrived and read to its end
 * by at most {@code 16} handlers at once (else the answer closes the connection); a body is read before a
 * recognition slot is taken, and at
 * most {@code 4 x maxConcurrent + 4} bodies are read at once (more: 429); at most {@link #MAX_CONNECTIONS}
 * connections are open at once. Audio is decoded under a cap
 * on decoded samples ({@code maxAudioSeconds x 96 000}: that many seconds of 48 kHz stereo) and mixed down and
 * resampled to the model's rate while it is decoded, so an upload that expands (a decompression bomb) costs bounded
 * memory and time. Plain HTTP/1.1 only: put a reverse proxy (TLS) in front for any exposure beyond loopback.
 *
 * <p>This class binds, routes and drains; each concern has its own package-private file: {@link RecognizeEndpoint},
 * {@link LiveEndpoint} (over {@link LiveSessions}), {@link StaticAssets} (page, OpenAPI document, samples),
 * {@link HostGuard} (Host and Origin checks), {@link Requests} (query, body and limits), {@link Answers} (JSON
 * answers, errors and security headers), {@link JsonErrorHandler} (the errors Jetty answers itself),
 * {@link RequestDeadlines} (slow clients) and {@link JettyExchange} (a Jetty request as the
 * {@code com.sun.net.httpserver.HttpExchange} the endpoints handle).
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
    /** Seconds a client has to take a whole answer once its headers are sent. */
    public static final int RESPONSE_DEADLINE_SECONDS = 30;
    /** Seconds a connection may stay silent (nothing received or sent) before it is closed, e.g. between requests. */
    public static final int IDLE_TIMEOUT_SECONDS = 30;
    /** Threads of the server's pool at most (Jetty's selector and acceptor included); idle ones end after 30 s. */
    public static final int MAX_THREADS = 256;
    /** Bytes of request line and headers accepted; more get 431 (414 when the URI alone is too long). */
    public static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** Open connections at most; beyond, new ones wait in the operating system's accept queue. */
    public static final int MAX_CONNECTIONS = 1024;
    /** Seconds {@link #close()} waits for requests in flight. */
    public static final int SHUTDOWN_GRACE_SECONDS = 30;
    /** Decoded samples accepted per second of {@code maxAudioSeconds}: 48 kHz stereo. */
    public static final long SAMPLES_PER_AUDIO_SECOND = 96_000;

    private final Recognizers recognizers;
    private final ServerConfig config;
    private final HostGuard hosts;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Server server;
    private final QueuedThreadPool pool;
    private final InetSocketAddress address;
    private final RequestDeadlines deadlines;
    private final Duration requestDeadline;
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
     * @throws UncheckedIOException if the address cannot be bound (its cause a {@link BindException} when the port is
     *                              taken or the address is not this machine's)
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
     * @throws UncheckedIOException if the address cannot be bound (its cause a {@link BindException} when the port is
     *                              taken or the address is not this machine's)
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
        this(recognizers, streamOptions, config, liveIdle, clock, Duration.ofSeconds(REQUEST_DEADLINE_SECONDS));
    }

    /**
     * Binds and starts a server with its own request deadline (for tests: the slow-client tests cut off in seconds).
     *
     * @param requestDeadline time a client has to send a whole request
     */
    SerServer(Recognizers recognizers, StreamOptions streamOptions, ServerConfig config, Duration liveIdle,
              LongSupplier clock, Duration requestDeadline) {
        this.recognizers = Objects.requireNonNull(recognizers, "recognizers");
        Objects.requireNonNull(streamOptions, "streamOptions");
        this.config = Objects.requireNonNull(config, "config");
        this.requestDeadline = Objects.requireNonNull(requestDeadline, "requestDeadline");
        Semaphore slots = new Semaphore(config.maxConcurrent());
        Semaphore uploads = new Semaphore(4 * config.maxConcurrent() + 4);
        this.hosts = new HostGuard(config);
        this.assets = new StaticAssets();
        this.live = new LiveSessions(streamOptions, 2 * config.maxConcurrent() + 2, config.maxAudioSeconds(),
                liveIdle, clock);
        this.recognize = new RecognizeEndpoint(recognizers, streamOptions, config, slots, uploads);
        this.liveEndpoint = new LiveEndpoint(live, recognizers, config, slots, uploads);
        this.deadlines = new RequestDeadlines(requestDeadline, Duration.ofSeconds(RESPONSE_DEADLINE_SECONDS),
                System::nanoTime);

        // Jetty parses headers without a thread per connection; handlers (which block on bodies and the model) run
        // on this bounded pool.
        pool = new QueuedThreadPool(MAX_THREADS, 4, 30_000);
        pool.setName("ser-http");
        pool.setDaemon(true);
        // a daemon scheduler too: a server its caller forgot to close does not keep the JVM alive
        server = new Server(pool, new ScheduledExecutorScheduler("ser-http-scheduler", true), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(IDLE_TIMEOUT_SECONDS));
        connector.setAcceptQueueSize(64);
        connector.addBean(deadlines);
        server.addConnector(connector);
        // slow connections hold no thread but a socket and a header buffer each: beyond this many, accepting pauses
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Endpoint());
        server.setErrorHandler(new JsonErrorHandler());
        try {
            server.start();
            address = (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (Exception e) {
            stopQuietly();
            deadlines.close();
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), bindFailure(e));
        }
    }

    /** The {@link BindException} under Jetty's failure if any (callers test for it), else an I/O exception. */
    private static IOException bindFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                return b;
            }
        }
        return e instanceof IOException io ? io : new IOException(e.toString(), e);
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping a server that failed to start: its own failure is the one reported
        }
    }

    /** A handler's I/O failure: the connection is dropped, which Jetty logs at debug level only. */
    private static final class ConnectionDropped extends IOException implements QuietException {
        private static final long serialVersionUID = 1L;

        ConnectionDropped(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The one Jetty handler: every request, as an {@link HttpExchange}, to {@link #handle(HttpExchange)}. */
    private final class Endpoint extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            // a body still to read: a declared length, or chunks (no length, Transfer-Encoding)
            long length = request.getLength();
            boolean hasBody = length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
            RequestDeadlines.Tracked tracked = deadlines.handlerStarted(request.getConnectionMetaData()
                    .getConnection(), request.getBeginNanoTime(), hasBody);
            try {
                URI uri;
                try {
                    uri = new URI(request.getHttpURI().getPathQuery());
                } catch (URISyntaxException e) {
                    RequestDeadlines.handlerEnded(tracked);
                    Response.writeError(request, response, callback, 400, "bad request target: " + e.getReason());
                    return true;
                }
                JettyExchange ex = new JettyExchange(request, response, uri, deadlines, tracked);
                SerServer.this.handle(ex);
                if (!ex.answered()) {
                    Answers.sendError(ex, 500, "internal error: no answer");
                }
                ex.close();
                RequestDeadlines.handlerEnded(tracked);
                callback.succeeded();
            } catch (IOException e) {
                // answered then refused the body (the connection is dropped), or the client is gone: not worth a
                // warning in the log
                RequestDeadlines.handlerEnded(tracked);
                callback.failed(new ConnectionDropped(e));
            } catch (RuntimeException | Error e) {
                RequestDeadlines.handlerEnded(tracked);
                callback.failed(e);
            }
            return true;
        }
    }

    /** {@return the address actually bound (with the real port when 0 was asked)} */
    public InetSocketAddress address() {
        return address;
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
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP server: " + e, e);
        } finally {
            deadlines.close();
            try {
                live.close();
            } finally {
                recognizers.close();
            }
        }
    }

    /** {@return requests being handled now (for tests and monitoring)} */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** {@return threads of the server's pool running a job now (Jetty's selector and acceptor included)} */
    int busyThreads() {
        return pool.getBusyThreads();
    }

    /** {@return connections closed so far for missing the request or response deadline} */
    long connectionsCutOff() {
        return deadlines.cutOff();
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
        limits.put("request_deadline_s", requestDeadline.toSeconds());
        ObjectNode denoise = o.putObject("denoise");
        denoise.put("per_request", recognizers.perRequestDenoise());
        if (recognizers.perRequestDenoise()) {
            denoise.put("default", recognizers.defaultDenoise());
        }
        return o;
    }
}
