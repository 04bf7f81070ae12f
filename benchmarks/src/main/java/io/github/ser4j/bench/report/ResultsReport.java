package io.github.ser4j.bench.report;

import static io.github.ser4j.bench.report.Cells.alloc;
import static io.github.ser4j.bench.report.Cells.fmt0;
import static io.github.ser4j.bench.report.Cells.fmt1;
import static io.github.ser4j.bench.report.Cells.fmtBytesPrecise;
import static io.github.ser4j.bench.report.Cells.libCell;
import static io.github.ser4j.bench.report.Cells.na;
import static io.github.ser4j.bench.report.Cells.parseOr;
import static io.github.ser4j.bench.report.Cells.pct;
import static io.github.ser4j.bench.report.Cells.pctOf;
import static io.github.ser4j.bench.report.Cells.ratio;
import static io.github.ser4j.bench.report.Cells.time;

import io.github.ser4j.bench.report.JmhResults.Result;
import io.github.ser4j.bench.report.LibrosaResults.Timing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Writes {@code benchmarks/RESULTS.md} from one run of {@code run.sh}: the JMH JSON, its console log (for the reasons
 * of failed benchmarks), the librosa timings and the machine description.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.ser4j.bench.report.ResultsReport --jmh jmh.json --log jmh.log
 * --librosa librosa.json --machine machine.properties --out RESULTS.md}
 *
 * <p>Ratios are "ours / peer" in time (below 1 means ser4j is faster), with the speed-up spelled out. For librosa the
 * fastest of its timeit repeats is used (the conservative choice for us), for JMH the mean.
 *
 * <p>One method a section of the document; the cells (times, bytes, ratios) are formatted by {@link Cells}.
 *
 * <p>Thread-safety: a one-shot command; not for concurrent use.
 */
public final class ResultsReport {
    /** Frames of a 3 s clip at hop 160 with center=True. */
    static final int FRAMES_3S = 301;
    static final int[] SECONDS = {1, 3, 30};
    static final String[] CHUNKS = {"10", "20", "100"};
    static final String[] STREAM_FEATURES = {"stft_power", "melspectrogram", "mfcc"};
    /** The benchmark run.sh profiles with JFR. */
    static final String PROFILED = "MfccBench.ser4j";
    /** The second benchmark run.sh profiles (3 s, 44.1 kHz WAV). */
    static final String PROFILED_E2E = "EndToEndBench.wavToProbabilities";

    private final JmhResults jmh;
    private final LibrosaResults librosa;
    private final Map<String, String> machine;
    private final Optional<JfrProfile> profile;
    private final Extras extras;
    private final StringBuilder md = new StringBuilder();

    /**
     * What run.sh measures besides the suite.
     *
     * @param targets    the target rows' second JMH pass (empty results if none)
     * @param e2eProfile JFR profile of the 3 s 44.1 kHz end to end
     * @param live       LiveLatencyHarness's output ("" if it did not run)
     * @param analyze    AnalyzeRatioHarness's key=value output (empty if it did not run)
     */
    record Extras(JmhResults targets, Optional<JfrProfile> e2eProfile, String live, Map<String, String> analyze) {
        static Extras none() {
            return new Extras(JmhResults.none(), Optional.empty(), "", Map.of());
        }
    }

    ResultsReport(JmhResults jmh, LibrosaResults librosa, Map<String, String> machine) {
        this(jmh, librosa, machine, Optional.empty());
    }

    ResultsReport(JmhResults jmh, LibrosaResults librosa, Map<String, String> machine, Optional<JfrProfile> profile) {
        this(jmh, librosa, machine, profile, Extras.none());
    }

    ResultsReport(JmhResults jmh, LibrosaResults librosa, Map<String, String> machine, Optional<JfrProfile> profile,
                  Extras extras) {
        this.jmh = jmh;
        this.librosa = librosa;
        this.machine = machine;
        this.profile = profile;
        this.extras = extras;
    }

    /**
     * @param args {@code --jmh F --log F --librosa F [--librosa-error F] --machine F [--jfr F] [--jfr-e2e F]
     *             [--jmh-targets F] [--live F] [--analyze F] --out F} (missing optional files count as not run)
     * @throws IOException if an input cannot be read or the output written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        if (!a.containsKey("out")) {
            System.err.println("usage: ResultsReport --jmh jmh.json --log jmh.log --librosa librosa.json "
                    + "[--librosa-error file] --machine machine.properties --out RESULTS.md");
            System.exit(2);
        }
        Function<String, Path> path = k -> a.containsKey(k) ? Path.of(a.get(k)) : null;
        String why = null;
        Path err = path.apply("librosa-error");
        if (err != null && Files.exists(err)) {
            why = Files.readString(err).strip();
        }
        Map<String, String> machine = new HashMap<>();
        Path m = path.apply("machine");
        if (m != null && Files.exists(m)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(m, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> machine.put(k, p.getProperty(k)));
        }
        Path live = path.apply("live");
        Map<String, String> analyze = new HashMap<>();
        Path an = path.apply("analyze");
        if (an != null && Files.exists(an)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(an, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> analyze.put(k, p.getProperty(k)));
        }
        Extras extras = new Extras(JmhResults.read(path.apply("jmh-targets"), null),
                JfrProfile.read(path.apply("jfr-e2e"), PROFILED_E2E),
                live != null && Files.exists(live) ? Files.readString(live) : "", analyze);
        String text = new ResultsReport(JmhResults.read(path.apply("jmh"), path.apply("log")),
                LibrosaResults.read(path.apply("librosa"), why), machine,
                JfrProfile.read(path.apply("jfr"), PROFILED), extras).render();
        Files.writeString(Path.of(a.get("out")), text);
        System.out.println("wrote " + a.get("out"));
    }

    /** {@return the whole Markdown document} */
    String render() {
        md.append("# ser4j benchmark results\n\n");
        md.append("Generated by `benchmarks/run.sh ").append(machine.getOrDefault("profile", "short"))
                .append("` from one run: JMH 1.37 (`").append(machine.getOrDefault("jmh.args", "?"))
                .append("`, `-prof gc`) and, in the same script, librosa timed with `timeit`. ")
                .append("Single thread. Times are JMH means (± half-width of the 99.9 % confidence interval); ")
                .append("**ratios are ours / peer in time** (< 1: ser4j is faster), with the speed-up in brackets. ")
                .append("Allocation is `gc.alloc.rate.norm` per operation. Do not compare numbers across machines.\n\n");
        machineSection();
        new TargetsSection(jmh, extras.targets(), librosa, extras.live(), extras.analyze(), md).render();
        mfccSection();
        spectrogramSection();
        streamingSection();
        resampleSection();
        onnxSection();
        fftSection();
        profileSection();
        e2eProfileSection();
        notesSection();
        return md.toString();
    }

    private void machineSection() {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        row2("CPU", machine.getOrDefault("cpu.model", "?"));
        row2("Cores", machine.getOrDefault("cpu.topology", machine.getOrDefault("cpu.cores", "?")));
        row2("Memory", machine.getOrDefault("mem", "?"));
        row2("OS", machine.getOrDefault("os", "?"));
        row2("JVM", machine.getOrDefault("jvm", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version")));
        row2("Python peer", librosa.unavailable().map(w -> "not run: " + w).orElse(librosa.versions()));
        row2("Date", machine.getOrDefault("date", "?"));
        row2("Commit", machine.getOrDefault("git", "?"));
        row2("Load average (1/5/15 min) before", machine.getOrDefault("load.before", "?"));
        row2("Load average (1/5/15 min) after", machine.getOrDefault("load.after", "?"));
        row2("Wall time of the run", machine.getOrDefault("duration", "?"));
        String others = machine.getOrDefault("other.processes", "");
        if (!others.isBlank()) {
            row2("Busiest other processes at the start", others);
        }
        md.append('\n');
        String note = machine.getOrDefault("note", "");
        if (!note.isBlank()) {
            md.append("> **Note from the person who ran it:** ").append(note.strip()).append("\n\n");
        }
        String before = machine.getOrDefault("load.before", "");
        if (!before.isEmpty()) {
            double load1 = Double.parseDouble(before.split("\\s+")[0]);
            double cores = parseOr(machine.get("cpu.cores"), 0);
            if (cores > 0 && load1 > cores * 0.75) {
                md.append("> **Caution:** the machine was busy (load ").append(fmt1(load1)).append(" on ")
                        .append(fmt0(cores)).append(" cores) when the run started; other processes competed for "
                        + "the CPU, so absolute times are pessimistic and noisier than on an idle machine.\n\n");
            }
        }
    }

    private void mfccSection() {
        md.append("## MFCC (batch)\n\n`n_fft=512, hop_length=160, n_mels=64, n_mfcc=40`, librosa's defaults otherwise "
                + "(`top_db=80`); 16 kHz speech-like audio; 101 / 301 / 3001 frames.\n\n");
        md.append("| audio | ser4j | alloc | TarsosDSP | naive DFT | librosa (min / median) | ours / TarsosDSP "
                + "| ours / naive | ours / librosa |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int s : SECONDS) {
            String p = Integer.toString(s);
            Optional<Result> ours = jmh.find("MfccBench.ser4j", "seconds", p);
            Optional<Result> tarsos = jmh.find("MfccBench.tarsosDsp", "seconds", p);
            Optional<Result> naive = jmh.find("MfccBench.naiveDft", "seconds", p);
            Optional<Timing> lib = librosa.find("mfcc", s, 0);
            md.append("| ").append(s).append(" s | ").append(cell(ours, "MfccBench.ser4j")).append(" | ")
                    .append(alloc(ours)).append(" | ").append(cell(tarsos, "MfccBench.tarsosDsp")).append(" | ")
                    .append(cell(naive, "MfccBench.naiveDft")).append(" | ").append(libCell(lib)).append(" | ")
                    .append(ratio(ours, tarsos.map(Result::micros))).append(" | ")
                    .append(ratio(ours, naive.map(Result::micros))).append(" | ")
                    .append(ratio(ours, lib.map(Timing::minMicros))).append(" |\n");
        }
        md.append("\nMFCC + first and second deltas (`librosa.feature.delta(m, width=9, order=1|2)`):\n\n")
                .append("| audio | ser4j | alloc | librosa (min / median) | ours / librosa |\n|---|---|---|---|---|\n");
        for (int s : SECONDS) {
            Optional<Result> ours = jmh.find("MfccBench.ser4jWithDeltas", "seconds", Integer.toString(s));
            Optional<Timing> lib = librosa.find("mfcc_deltas", s, 0);
            md.append("| ").append(s).append(" s | ").append(cell(ours, "MfccBench.ser4jWithDeltas")).append(" | ")
                    .append(alloc(ours)).append(" | ").append(libCell(lib)).append(" | ")
                    .append(ratio(ours, lib.map(Timing::minMicros))).append(" |\n");
        }
        md.append('\n');
    }

    private void spectrogramSection() {
        md.append("## STFT power and mel spectrogram (batch)\n\n")
                .append("`np.abs(librosa.stft(y, n_fft=512, hop_length=160))**2` and ")
                .append("`librosa.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=160, n_mels=64)`.\n\n")
                .append("| feature | audio | ser4j | alloc | librosa (min / median) | ours / librosa |\n")
                .append("|---|---|---|---|---|---|\n");
        String[][] ops = {{"SpectrogramBench.stftPower", "stft_power", "STFT power"},
                {"SpectrogramBench.melspectrogram", "melspectrogram", "melspectrogram"}};
        for (String[] op : ops) {
            for (int s : SECONDS) {
                Optional<Result> ours = jmh.find(op[0], "seconds", Integer.toString(s));
                Optional<Timing> lib = librosa.find(op[1], s, 0);
                md.append("| ").append(op[2]).append(" | ").append(s).append(" s | ").append(cell(ours, op[0]))
                        .append(" | ").append(alloc(ours)).append(" | ").append(libCell(lib)).append(" | ")
                        .append(ratio(ours, lib.map(Timing::minMicros))).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void streamingSection() {
        md.append("## Streaming\n\n")
                .append("Steady state (`StreamingHopBench`): one call pushes one chunk into a long-running stream; ")
                .append("the call's duration is the latency from the chunk's arrival to its frames (compute only; ")
                .append("with `center=True` a frame is final 16 ms = n_fft/2 after its centre). Mean and allocation ")
                .append("from average-time mode, percentiles from sample mode. Per hop = mean / (chunk / 10 ms). ")
                .append("MFCC streams with `top_db=None`. Allocation below 1 B per call is JMH's own background ")
                .append("(it grows with the call's duration), i.e. 0 B from the stream.\n\n")
                .append("| feature | chunk | mean per chunk | per hop | p50 | p99 | p99.9 | alloc per chunk |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (String f : STREAM_FEATURES) {
            for (String c : CHUNKS) {
                Optional<Result> avg = jmh.findInMode("StreamingHopBench.pushChunk", "avgt", "feature", f,
                        "chunkMs", c);
                Optional<Result> sampled = jmh.findInMode("StreamingHopBench.pushChunk", "sample", "feature", f,
                        "chunkMs", c);
                md.append("| ").append(f).append(" | ").append(c).append(" ms | ");
                Optional<Result> mean = avg.isPresent() ? avg : sampled;
                if (mean.isEmpty()) {
                    md.append(na(why("StreamingHopBench.pushChunk"))).append(" | | | | | |\n");
                    continue;
                }
                double hops = Integer.parseInt(c) / 10.0;
                double micros = mean.get().micros();
                md.append(time(micros)).append(" | ").append(time(micros / hops)).append(" | ")
                        .append(sampled.map(x -> pct(x, 50.0)).orElse("")).append(" | ")
                        .append(sampled.map(x -> pct(x, 99.0)).orElse("")).append(" | ")
                        .append(sampled.map(x -> pct(x, 99.9)).orElse("")).append(" | ")
                        .append(avg.map(x -> fmtBytesPrecise(x.bytesPerOp())).orElse("")).append(" |\n");
            }
        }
        md.append("\nWhole signal pushed in chunks, then finished (`StreamingBench`), against the batch form of the "
                + "same feature (MFCC batch with `top_db=80`, which adds one pass over the matrix):\n\n")
                .append("| feature | audio | batch | 10 ms chunks | 20 ms chunks | 100 ms chunks | alloc (20 ms) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        Map<String, String> batch = Map.of("stft_power", "SpectrogramBench.stftPower", "melspectrogram",
                "SpectrogramBench.melspectrogram", "mfcc", "MfccBench.ser4j");
        for (String f : STREAM_FEATURES) {
            for (int s : SECONDS) {
                String p = Integer.toString(s);
                md.append("| ").append(f).append(" | ").append(s).append(" s | ")
                        .append(cell(jmh.find(batch.get(f), "seconds", p), batch.get(f)));
                for (String c : CHUNKS) {
                    md.append(" | ").append(cell(jmh.find("StreamingBench.wholeSignal", "feature", f, "chunkMs", c,
                            "seconds", p), "StreamingBench.wholeSignal"));
                }
                md.append(" | ").append(alloc(jmh.find("StreamingBench.wholeSignal", "feature", f, "chunkMs", "20",
                        "seconds", p))).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void resampleSection() {
        md.append("## Resampling to 16 kHz (batch)\n\nPeer: `librosa.resample(y, orig_sr=..., target_sr=16000)` "
                + "(default `res_type='soxr_hq'`, i.e. libsoxr in C).\n\n")
                .append("| conversion | audio | ser4j | alloc | librosa / soxr_hq (min / median) | ours / librosa |\n")
                .append("|---|---|---|---|---|---|\n");
        for (int from : new int[] {48_000, 44_100, 22_050}) {
            for (int s : SECONDS) {
                Optional<Result> ours = jmh.find("ResampleBench.ser4j", "fromHz", Integer.toString(from), "seconds",
                        Integer.toString(s));
                Optional<Timing> lib = librosa.find("resample", s, from);
                md.append("| ").append(from == 48_000 ? "48 kHz" : from == 44_100 ? "44.1 kHz" : "22.05 kHz").append(" -> 16 kHz | ").append(s)
                        .append(" s | ").append(cell(ours, "ResampleBench.ser4j")).append(" | ").append(alloc(ours))
                        .append(" | ").append(libCell(lib)).append(" | ")
                        .append(ratio(ours, lib.map(Timing::minMicros))).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void onnxSection() {
        md.append("## ONNX inference (default model) and end to end\n\n")
                .append("Inference: ONNX Runtime alone on model inputs prepared in the setup, one call = one batch "
                        + "(1 intra-op thread). recognizeAll: the public API on the same clips (speech gate, features, "
                        + "one model run). End to end: decode an in-memory 16-bit WAV -> resample if needed -> "
                        + "features -> model -> probabilities (`EmotionRecognizer.recognize(AudioSource)`).\n\n")
                .append("| benchmark | audio | time | per clip | alloc (JVM heap) | real-time factor |\n")
                .append("|---|---|---|---|---|---|\n");
        for (String[] b : new String[][] {{"OnnxBench.inference", "inference (ONNX Runtime only)"},
                {"OnnxBench.recognizeAll", "recognizeAll (features + inference)"}}) {
            for (String batch : new String[] {"1", "8"}) {
                Optional<Result> r = jmh.find(b[0], "batch", batch);
                int clips = Integer.parseInt(batch);
                md.append("| ").append(b[1]).append(", batch ").append(batch).append(" | ").append(batch)
                        .append(" x 3 s | ").append(cell(r, b[0])).append(" | ")
                        .append(r.map(x -> time(x.micros() / clips)).orElse("")).append(" | ").append(alloc(r))
                        .append(" | ").append(r.map(x -> fmt0(clips * 3e6 / x.micros()) + "x").orElse(""))
                        .append(" |\n");
            }
        }
        for (String rate : new String[] {"16000", "44100"}) {
            String label = rate.equals("16000") ? "end to end" : "end to end, 44.1 kHz WAV (resampled)";
            for (int s : SECONDS) {
                Optional<Result> r = endToEnd(jmh, s, rate);
                if (r.isEmpty() && !rate.equals("16000")) {
                    continue;
                }
                md.append("| ").append(label).append(" | ").append(s).append(" s | ")
                        .append(cell(r, "EndToEndBench.wavToProbabilities")).append(" | | ").append(alloc(r))
                        .append(" | ").append(r.map(x -> fmt0(s * 1e6 / x.micros()) + "x").orElse(""))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    /** The end-to-end result for a clip length and WAV rate; runs made before the rate was a parameter had 16 kHz. */
    static Optional<Result> endToEnd(JmhResults results, int seconds, String sampleRate) {
        Optional<Result> r = results.find("EndToEndBench.wavToProbabilities", "seconds", Integer.toString(seconds),
                "sampleRate", sampleRate);
        return r.isPresent() || !sampleRate.equals("16000") ? r
                : results.find("EndToEndBench.wavToProbabilities", "seconds", Integer.toString(seconds))
                        .filter(x -> !x.params().containsKey("sampleRate"));
    }

    private void fftSection() {
        md.append("## FFT bound\n\nOne bare 512-point real FFT with JTransforms 3.1 (copy + `realForward`) on a "
                + "windowed speech frame; ser-dsp uses the double-precision transform.\n\n")
                .append("| transform | time | x 301 frames |\n|---|---|---|\n");
        for (String[] b : new String[][] {{"FftBench.jtransformsDouble", "DoubleFFT_1D.realForward(512)"},
                {"FftBench.jtransformsFloat", "FloatFFT_1D.realForward(512)"}}) {
            Optional<Result> r = jmh.find(b[0]);
            md.append("| ").append(b[1]).append(" | ").append(cell(r, b[0])).append(" | ")
                    .append(r.map(x -> time(FRAMES_3S * x.micros())).orElse("")).append(" |\n");
        }
        md.append('\n');
    }

    private void profileSection() {
        if (profile.isEmpty()) {
            return;
        }
        JfrProfile p = profile.get();
        md.append("## Where the MFCC time goes\n\n`MfccBench.ser4j`, 3 s, profiled in a separate fork with JMH's "
                + "`-prof jfr` (Java execution samples every 10 ms; `-XX:+DebugNonSafepoints`, so inlined methods "
                + "and their lines are named as they ran); ").append(p.samples())
                .append(" samples inside the benchmark method, counted by their top frame (self time).\n\n");
        if (p.samples() == 0) {
            md.append("No samples.\n\n");
            return;
        }
        double fft = p.share("CommonUtils.", "DoubleFFT_1D.");
        md.append("JTransforms' FFT itself: **").append(pctOf(fft)).append("** of the MFCC time, so the MFCC costs about ")
                .append(fmt1(1 / fft)).append("x its FFTs; the rest is ser-dsp's own work around them.\n\n")
                .append("| method (self) | share |\n|---|---|\n");
        shareRows(p.byMethod(), p.samples(), 14);
        md.append("\n| hottest lines (self) | share |\n|---|---|\n");
        shareRows(p.byLine(), p.samples(), 10);
        md.append('\n');
    }

    /**
     * Where a 3 s 44.1 kHz clip's end-to-end time goes: JFR sees Java only, so ONNX Runtime's native inference is
     * left out; stages are given as total time (samples whose stack holds the method anywhere).
     */
    private void e2eProfileSection() {
        if (extras.e2eProfile().isEmpty()) {
            return;
        }
        JfrProfile p = extras.e2eProfile().get();
        md.append("## Where the 44.1 kHz end-to-end time goes\n\n`EndToEndBench.wavToProbabilities`, 3 s, 44.1 kHz "
                + "WAV, profiled like the MFCC above; ").append(p.samples()).append(" Java samples inside the "
                + "benchmark method. JFR samples Java code only: ONNX Runtime's native inference (see `OnnxBench` "
                + "above) is not in these shares.\n\n");
        if (p.samples() == 0) {
            md.append("No samples.\n\n");
            return;
        }
        md.append("| ser4j / JTransforms method (total: samples with it anywhere on the stack) | share |\n|---|---|\n");
        shareRows(p.inclusive(), p.samples(), 16);
        md.append("\n| method (self) | share |\n|---|---|\n");
        shareRows(p.byMethod(), p.samples(), 12);
        md.append('\n');
    }

    /** The first {@code n} entries of a count map (largest first) as table rows: name, share of {@code samples}. */
    private void shareRows(Map<String, Integer> counts, int samples, int n) {
        counts.entrySet().stream().limit(n).forEach(e -> md.append("| `").append(e.getKey()).append("` | ")
                .append(pctOf((double) e.getValue() / samples)).append(" |\n"));
    }

    private void notesSection() {
        md.append("## Notes\n\n")
                .append("- Input: `SpeechLikeSignal` (fixed seed): band-limited glottal pulses with a wandering f0, ")
                .append("three moving formants, syllable envelopes, fricative bursts, pauses and a noise floor; ")
                .append("peak 0.5, about -26 dBFS RMS. librosa reads the same samples (`SignalDump`).\n")
                .append("- TarsosDSP 2.4 is driven frame by frame on the same centre-padded frames ")
                .append("(`TarsosMfcc` documents the parameter mapping); its algorithm differs from librosa's ")
                .append("(Hamming window, magnitude spectrum, HTK triangles, ln, unnormalised DCT), so it is ")
                .append("compared for cost, not values. The naive DFT MFCC reproduces librosa's values (unit test).\n")
                .append("- librosa runs with `OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1`; its ratio ")
                .append("uses its fastest repeat.\n")
                .append("- Reproduce: `benchmarks/run.sh` (this profile) or `benchmarks/run.sh long`; see ")
                .append("`benchmarks/README.md`.\n");
    }

    // ---- rows ----

    private void row2(String k, String v) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    private String why(String benchmark) {
        return jmh.failure(benchmark).orElse("not in this run");
    }

    private String cell(Optional<Result> r, String benchmark) {
        return r.map(x -> time(x.micros()) + (Double.isNaN(x.errorMicros()) ? "" : " ± "
                + time(x.errorMicros()))).orElseGet(() -> na(why(benchmark)));
    }
}
