package io.github.ser4j.examples.cli;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.analysis.AnalysisResult;
import io.github.ser4j.examples.analysis.Analyzer;
import io.github.ser4j.examples.analysis.FileStamp;
import io.github.ser4j.examples.analysis.ResultFile;
import io.github.ser4j.examples.analysis.ResultWriter;
import io.github.ser4j.examples.io.InputFiles;
import io.github.ser4j.examples.io.ProgressBar;
import io.github.ser4j.examples.io.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@code ser analyze}: the emotion of each audio file, or its timeline. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recognises the emotion of each audio file (WAV, AIFF, AU, FLAC, MP3, Ogg Vorbis, Opus; "
                + "M4A/WebM/AAC with ffmpeg installed; folders are searched recursively for those extensions): one result per file, or one per segment with --timeline.",
                "Results are printed as files finish (in completion order when --threads > 1). A file that fails "
                        + "is reported in the output with its error and the batch goes on.",
                "A file that fails is also reported on stderr in one line; a WAV/AIFF shorter than its header "
                        + "declares is analysed as far as it goes, with a warning on stderr and \"truncated\": true "
                        + "in JSON.",
                "A file longer than the model's window (3 s for the default model) is analysed whole: the "
                        + "speech-duration-weighted mean of the probabilities of its voice-activity-gated sliding "
                        + "windows (the model card's window and hop), reported with speech_s (seconds of speech found) "
                        + "and windows (windows averaged); a shorter file is one clip, padded as the card says.",
                "Memory stays bounded whatever a file holds: decoding, resampling and windows stream through "
                        + "fixed buffers, and --max-decoded-samples caps the decoding work per file.",
                "With --output FILE (--format json or csv), results go to FILE in input order, each file's rows "
                        + "written whole and flushed, with the file's size and mtime; --resume continues a FILE "
                        + "(a killed run's partial last line is dropped) and skips the files it already holds with "
                        + "the same path, size and modification time.",
                "Exit code 0 only if every file succeeded (with --resume: the skipped ones' rows included), 1 if "
                        + "any failed, 2 for a bad command line (an existing FILE without --resume), 4 if the "
                        + "results could not be written (disk full, closed pipe) or FILE holds other rows."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json (JSON Lines: one object per file) or csv. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--timeline", description = "One result per segment (sliding windows) instead of per file.")
    boolean timeline;

    @Mixin
    StreamingOptions streaming;

    @Option(names = "--denoise", description = "Denoise every clip and window before the model: non-stationary "
            + "spectral gating (ser-dsp's "
                    + "SpectralGate, the Python noisereduce package's defaults: prop_decrease 1, n_fft 1024, "
                    + "time_constant_s 2), after the crop and before the speech gate; a model card's own "
                    + "audio.denoise step applies anyway. It does not help the default model (training/README.md). "
                    + "Default: off.")
    boolean denoise;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Files analysed in parallel (1-256). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--max-decoded-samples", paramLabel = "N", defaultValue = "345600000",
            description = "Most decoded samples (frames x channels, at the file's own rate) a file may hold; a file "
                    + "holding more (a decompression bomb: minutes of many channels at a high rate) is an error row "
                    + "and the batch goes on. Default: ${DEFAULT-VALUE} (one hour of 48 kHz stereo).")
    long maxDecodedSamples;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on stderr for batches longer than a second when stderr is a "
                    + "terminal (--no-progress: never). Default: on.")
    boolean progress;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the results to FILE instead of standard output (--format json or csv), in input "
                    + "order whatever --threads, each file's rows written whole and flushed as it finishes, with "
                    + "its size and mtime (modification time) for --resume. An existing FILE is an error without "
                    + "--resume; it is never overwritten.")
    Path output;

    @Option(names = "--resume", description = "Continue --output FILE (created if missing): drop a partial last "
            + "line left by a killed run (noted on stderr), skip the files FILE already holds with the same path, "
            + "size and modification time (their earlier rows, error rows included, stay and count for the exit "
            + "code), analyse the rest (a changed file again: the last row of a path counts) and append them. "
            + "Says on stderr how many were skipped.")
    boolean resume;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Audio files and folders.")
    List<Path> paths;

    /** Creates the command; picocli fills in its fields. */
    public AnalyzeCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        if (threads < 1 || threads > 256) {
            throw new CommandLine.ParameterException(cl, "--threads must be 1..256, got " + threads);
        }
        if (maxDecodedSamples < 1) {
            throw new CommandLine.ParameterException(cl, "--max-decoded-samples must be positive, got "
                    + maxDecodedSamples);
        }
        if (resume && output == null) {
            throw new CommandLine.ParameterException(cl, "--resume continues an --output FILE: add --output");
        }
        if (output != null && format == OutputFormat.text) {
            throw new CommandLine.ParameterException(cl, "--output writes JSON Lines or CSV: add --format json or "
                    + "--format csv");
        }
        if (output != null && !resume && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new CommandLine.ParameterException(cl, output + " exists; add --resume to continue it (files "
                    + "already in it are skipped), or remove it");
        }
        StreamOptions streamOptions = streaming.build(cl, Double.POSITIVE_INFINITY);
        List<Path> files = InputFiles.expand(paths);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (files.isEmpty()) {
            err.println("ser analyze: no audio files (" + String.join(", ", InputFiles.AUDIO_EXTENSIONS)
                    + ") found in " + paths);
            return ExitCodes.SOME_FAILED;
        }
        if (output != null) {
            return toFile(files, streamOptions, err);
        }
        try (EmotionRecognizer recognizer = model.open(recognizerOptions())) {
            Analyzer analyzer = new Analyzer(recognizer, streamOptions, maxDecodedSamples);
            ResultWriter writer = new ResultWriter(out, format, timeline, recognizer.labels());
            writer.header();
            ProgressBar bar = new ProgressBar(err, progress && files.size() > 1 && Terminal.isStderrTerminal(),
                    files.size(), 1000);
            int failed = run(analyzer, files, (i, r) -> writer.write(r), bar, err);
            bar.clear();
            return failed == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    /** {@return how the recogniser runs: {@code --denoise}} */
    RecognizerOptions recognizerOptions() {
        return RecognizerOptions.builder().denoise(denoise).build();
    }

    private int run(Analyzer analyzer, List<Path> files, Sink sink, ProgressBar bar, PrintWriter err)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
            Thread t = new Thread(r, "ser-analyze");
            t.setDaemon(true);
            return t;
        });
        int failed = 0;
        try {
            CompletionService<Indexed> done = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                int index = i;
                done.submit(() -> new Indexed(index, analyzer.analyze(f.toString(), () -> AudioSource.open(f),
                        timeline)));
            }
            for (int remaining = files.size(); remaining > 0; ) {
                Future<Indexed> next = done.poll(250, TimeUnit.MILLISECONDS);
                if (next == null) {
                    bar.draw();
                    continue;
                }
                remaining--;
                Indexed ir = result(next);
                AnalysisResult r = ir.result();
                bar.clear();
                sink.accept(ir.index(), r);
                if (!r.ok()) {
                    failed++;
                    // also where users look: one line on stderr, whatever the output format
                    String error = r.error().startsWith(r.input()) ? r.error() : r.input() + ": " + r.error();
                    err.println("ser analyze: error: " + oneLine(error));
                } else if (r.truncated()) {
                    err.println("ser analyze: warning: " + r.input() + ": the header declares "
                            + String.format(Locale.ROOT, "%.3f", r.declaredDuration()) + " s of audio but the file "
                            + "holds " + String.format(Locale.ROOT, "%.3f", r.duration()) + " s (truncated); "
                            + "analysed what is there");
                }
                bar.step(r.ok());
            }
        } finally {
            pool.shutdownNow();
        }
        return failed;
    }

    /** {@code --output FILE [--resume]}: rows in input order, each file's appended whole. */
    private int toFile(List<Path> files, StreamOptions streamOptions, PrintWriter err)
            throws IOException, InterruptedException {
        try (EmotionRecognizer recognizer = model.open(recognizerOptions());
             ResultFile file = ResultFile.open(output, resume, format, timeline, recognizer.labels())) {
            if (file.dropped() != null) {
                err.println("ser analyze: note: " + output + " ended in a partial row (a killed run?); dropped the "
                        + file.dropped());
            }
            List<Path> todo = new ArrayList<>();
            List<FileStamp> stamps = new ArrayList<>();
            int skipped = 0;
            int skippedFailed = 0;
            for (Path f : files) {
                FileStamp stamp = FileStamp.of(f);
                Boolean ok = resume ? file.done(f.toString(), stamp) : null;
                if (ok == null) {
                    todo.add(f);
                    stamps.add(stamp);
                } else {
                    skipped++;
                    skippedFailed += ok ? 0 : 1;
                }
            }
            if (resume) {
                err.println("ser analyze: resuming " + output + ": " + skipped + " of " + files.size() + " file"
                        + (files.size() == 1 ? "" : "s") + " skipped (already in it, same size and modification "
                        + "time" + (skippedFailed > 0 ? "; " + skippedFailed + " of them failed" : "") + "), "
                        + todo.size() + " to analyse");
            }
            int failed = skippedFailed;
            if (!todo.isEmpty()) {
                Analyzer analyzer = new Analyzer(recognizer, streamOptions, maxDecodedSamples);
                ProgressBar bar = new ProgressBar(err, progress && todo.size() > 1 && Terminal.isStderrTerminal(),
                        todo.size(), 1000);
                AnalysisResult[] ready = new AnalysisResult[todo.size()];
                int[] next = {0};
                failed += run(analyzer, todo, (i, r) -> {
                    ready[i] = r;
                    while (next[0] < ready.length && ready[next[0]] != null) { // input order
                        file.write(ready[next[0]], stamps.get(next[0]));
                        ready[next[0]++] = null;
                    }
                }, bar, err);
                bar.clear();
            }
            return failed == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    /** Takes each result as it completes. */
    @FunctionalInterface
    private interface Sink {
        void accept(int index, AnalysisResult r) throws IOException;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private record Indexed(int index, AnalysisResult result) {
    }

    private static Indexed result(Future<Indexed> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            // Analyzer turns input failures into results; anything else is a bug worth the stack trace.
            throw new IllegalStateException("analysis crashed: " + e.getCause(), e.getCause());
        }
    }
}
