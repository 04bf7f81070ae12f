package io.github.ser4j.examples.cli;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.server.Recognizers;
import io.github.ser4j.examples.server.SerServer;
import io.github.ser4j.examples.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ser serve}: the HTTP API and the browser demo page. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves an HTTP API and a demo page (drop or pick a file, try a sample clip, or record from the "
                + "browser's microphone with live results; probabilities, waveform, spectrogram, timeline, segment "
                + "table, JSON/CSV downloads). Runs until Ctrl-C.",
                "  GET  /                             the demo page",
                "  POST /api/v1/recognize[?timeline=true][&denoise=true|false]   body: audio file bytes, or "
                        + "multipart (curl -F file=@clip.wav) -> JSON",
                "  POST /api/v1/live?rate=HZ[&denoise=true|false], then POST /api/v1/live/ID[?end=true] with 16-bit "
                        + "PCM chunks -> the segments so far (live recording)",
                "  denoise=true|false chooses noise reduction for that request (the page's \"denoise\" box); "
                        + "without it, --denoise decides.",
                "  GET  /api/v1/model                 model labels, provenance and server limits",
                "  GET  /api/v1/openapi.json          this API as OpenAPI 3",
                "  GET  /api/v1/health                {\"status\":\"ok\"}",
                "Errors are JSON {\"status\",\"error\"}: 400, 403 (unknown Host, cross-origin POST), 404, 405, "
                        + "413 (too large), 415 (unsupported audio), 422 (damaged audio), 429 (too many concurrent "
                        + "requests), 500, 503 (shutting down).",
                "Meant for this machine: for anything else, put it behind a reverse proxy (TLS, authentication, "
                        + "request limits) and name the proxy's host with --allowed-host."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); 0.0.0.0 exposes "
                    + "the server to the network.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Mixin
    ModelOption model;

    @Option(names = "--denoise", description = "Denoise every clip and window before the model, for requests "
            + "that do not choose (denoise=true|false in a request, or the page's \"denoise\" box, chooses for "
            + "that request): non-stationary spectral gating (ser-dsp's "
                    + "SpectralGate, the Python noisereduce package's defaults: prop_decrease 1, n_fft 1024, "
                    + "time_constant_s 2), after the crop and before the speech gate; a model card's own "
                    + "audio.denoise step applies anyway. It does not help the default model (training/README.md). "
                    + "Default: off.")
    boolean denoise;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "20",
            description = "Largest accepted upload in MiB (larger: 413). Default: ${DEFAULT-VALUE}.")
    double maxUploadMb;

    @Option(names = "--max-audio-seconds", paramLabel = "S", defaultValue = "600",
            description = "Longest accepted audio after decoding (longer: 413); also caps decoding work at S x 96 000 "
                    + "decoded samples (S seconds of 48 kHz stereo), whatever the channels and rate. "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxAudioSeconds;

    @Option(names = "--max-concurrent", paramLabel = "N",
            description = "Recognitions running at once (more: 429). Default: the number of processors.")
    Integer maxConcurrent;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A host name the server answers to (the Host header), besides localhost, 127.0.0.1, ::1 "
                    + "and --host; repeatable. Requests naming another host get 403 (DNS-rebinding guard).")
    java.util.List<String> allowedHosts = new java.util.ArrayList<>();

    @Mixin
    StreamingOptions streaming;

    /** Creates the command; picocli fills in its fields. */
    public ServeCommand() {
    }

    @Override
    public Integer call() throws InterruptedException, java.net.BindException {
        CommandLine cl = spec.commandLine();
        if (!(maxUploadMb > 0 && maxUploadMb <= 2047)) {
            throw new CommandLine.ParameterException(cl, "--max-upload-mb must be in (0, 2047], got " + maxUploadMb);
        }
        int concurrent = maxConcurrent != null ? maxConcurrent : Runtime.getRuntime().availableProcessors();
        ServerConfig config;
        try {
            config = new ServerConfig(host, port, (long) (maxUploadMb * 1024 * 1024), maxAudioSeconds,
                    concurrent, allowedHosts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
        StreamOptions options = streaming.build(cl, Double.POSITIVE_INFINITY);
        // the --denoise setting's recogniser now; the other one when a request first asks for it
        Recognizers recognizers = Recognizers.open(model::open, recognizerOptions());
        EmotionRecognizer recognizer = recognizers.primary();
        SerServer server;
        try {
            server = new SerServer(recognizers, options, config);
        } catch (java.io.UncheckedIOException e) {
            recognizers.close();
            if (e.getCause() instanceof java.net.BindException b) {
                throw busy(b);
            }
            throw e;
        } catch (RuntimeException e) {
            recognizers.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close(); // closes both recognisers
            stopped.countDown();
        }, "ser-serve-stop"));
        if (!isLoopback(host)) {
            cl.getErr().println("warning: listening on " + host + ": anyone who can reach this machine can use "
                    + "the server (there is no authentication, no TLS); expose it only behind a reverse proxy");
        }
        cl.getErr().println("Serving " + recognizer.model().name() + " on " + server.uri() + " (Ctrl-C to stop)");
        cl.getErr().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** A bind failure with what to do about it: the port is taken (another server?) or the address is not ours. */
    private java.net.BindException busy(java.net.BindException e) {
        String why = e.getMessage() == null ? "cannot bind" : e.getMessage();
        String hint = why.toLowerCase(java.util.Locale.ROOT).contains("in use")
                ? "another program (another ser serve?) has that port: choose another with --port " + (port == 65535
                ? 8080 : port + 1) + ", or --port 0 for any free port (the address is printed)"
                : "check --host (an address of this machine) or choose another --port; --port 0 picks a free one";
        java.net.BindException b = new java.net.BindException("cannot listen on " + host + ":" + port + ": " + why
                + "; " + hint);
        b.initCause(e);
        return b;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@return how the server's default recogniser runs: {@code --denoise} applies to requests that do not choose} */
    RecognizerOptions recognizerOptions() {
        return RecognizerOptions.builder().denoise(denoise).build();
    }
}
