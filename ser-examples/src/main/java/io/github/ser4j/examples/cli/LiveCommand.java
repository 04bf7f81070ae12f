package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.analysis.ResultJson;
import io.github.ser4j.examples.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code ser live}: the emotion of microphone speech, segment by segment, as it is spoken. */
@Command(name = "live", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Listens to a microphone and prints the emotion of each segment as the person speaks. "
                + "Stops after --silence-stop seconds of silence following speech, after --max-seconds, or on "
                + "Ctrl-C.", "Exit code 4 if the device cannot be opened (list devices with 'ser devices')."})
public final class LiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--device", paramLabel = "NAME",
            description = "Capture device name from 'ser devices'. Default: the system's default input.")
    String device;

    @Option(names = "--silence-stop", paramLabel = "S", defaultValue = "2",
            description = "Stop after this many seconds of silence following speech; 0 never stops. "
                    + "Default: ${DEFAULT-VALUE}.")
    double silenceStop;

    @Option(names = "--max-seconds", paramLabel = "S",
            description = "Stop after this many seconds of listening in any case.")
    Double maxSeconds;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (JSON Lines: one object per segment). Default: ${DEFAULT-VALUE}.")
    ModelsCommand.Format format;

    @Mixin
    StreamingOptions streaming;

    /** Creates the command; picocli fills in its fields. */
    public LiveCommand() {
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (!(silenceStop >= 0) || Double.isInfinite(silenceStop)) {
            throw new CommandLine.ParameterException(cl, "--silence-stop must be >= 0 seconds, got " + silenceStop);
        }
        if (maxSeconds != null && !(maxSeconds > 0 && maxSeconds <= 86_400)) {
            throw new CommandLine.ParameterException(cl, "--max-seconds must be in (0, 86400], got " + maxSeconds);
        }
        StreamOptions options = streaming.build(cl, silenceStop == 0 ? Double.POSITIVE_INFINITY : silenceStop);
        try (EmotionRecognizer recognizer = model.open(RecognizerOptions.defaults())) {
            AudioSource mic = AudioSource.microphone(device, recognizer.model().sampleRate());
            cl.getErr().println("Listening on " + (device == null ? "the default input" : device)
                    + (silenceStop > 0 ? "; stops after " + silenceStop + " s of silence" : "")
                    + " (Ctrl-C to stop)...");
            cl.getErr().flush();
            return listen(recognizer, mic, options, maxSeconds, cl.getOut(), cl.getErr());
        }
    }

    /**
     * Prints the segments of a live source until it ends, is stopped by silence, by the time limit or by Ctrl-C.
     *
     * @param recognizer the model
     * @param source     the live source; closed at the end
     * @param options    windowing and auto-stop
     * @param maxSeconds wall-clock limit, or null
     * @param out        where segments go
     * @param err        where the closing note goes
     * @return {@link ExitCodes#OK}
     * @throws java.io.UncheckedIOException if a segment cannot be written to {@code out}
     */
    int listen(EmotionRecognizer recognizer, AudioSource source, StreamOptions options, Double maxSeconds,
               PrintWriter out, PrintWriter err) {
        SegmentStream segments = recognizer.stream(source, options);
        Thread hook = new Thread(segments::close, "ser-live-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ser-live-timer");
            t.setDaemon(true);
            return t;
        });
        if (maxSeconds != null) {
            timer.schedule(segments::close, Math.round(maxSeconds * 1000), TimeUnit.MILLISECONDS);
        }
        int count = 0;
        try (segments) {
            while (segments.hasNext()) {
                print(out, segments.next());
                count++;
            }
        } finally {
            timer.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running; nothing to undo.
            }
        }
        err.println(String.format(Locale.ROOT, "Stopped after %.1f s of audio, %d segments.",
                segments.positionSeconds(), count));
        err.flush();
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, EmotionSegment s) {
        if (format == ModelsCommand.Format.json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("start_s", Math.round(s.startSeconds() * 1000) / 1000.0);
            o.put("end_s", Math.round(s.endSeconds() * 1000) / 1000.0);
            ResultJson.putPrediction(o, s.prediction());
            out.println(Json.line(o));
        } else {
            var p = s.prediction();
            out.println(String.format(Locale.ROOT, "%7.2f - %7.2f s  %-10s %s", s.startSeconds(), s.endSeconds(),
                    p.label(), p.isSpeech() ? String.format(Locale.ROOT, "%.2f", p.confidence()) : ""));
        }
        if (out.checkError()) { // flushes; a closed pipe or full disk stops listening instead of losing segments
            throw new java.io.UncheckedIOException(new java.io.IOException(Main.WRITE_FAILED));
        }
    }
}
