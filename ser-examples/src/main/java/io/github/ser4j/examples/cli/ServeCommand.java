package io.github.ser4j.examples.cli;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
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
        description = {"Serves an HTTP API and a demo page (upload a file or record from the browser's microphone; "
                + "shows the probabilities and the timeline). Runs until Ctrl-C.",
                "  GET  /                             the demo page",
                "  POST /api/v1/recognize[?timeline=true]   body: audio file bytes -> JSON",
                "  GET  /api/v1/model                 model labels, provenance and server limits",
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

    @Option(names = "--denoise", description = "For every request (server-wide): denoise every clip and window "
            + "before the model: non-stationary spectral gating (ser-dsp's "
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
    public Integer call() throws InterruptedException {
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
        EmotionRecognizer recognizer = model.open(recognizerOptions());
        SerServer server;
        try {
            server = new SerServer(recognizer, options, config);
        } catch (RuntimeException e) {
            recognizer.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            recognizer.close();
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

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @return how the server's one recogniser runs: {@code --denoise} applies to every request */
    RecognizerOptions recognizerOptions() {
        return RecognizerOptions.builder().denoise(denoise).build();
    }
}
