package io.github.ser4j.bench.report;

import static io.github.ser4j.bench.report.Cells.fmt0;
import static io.github.ser4j.bench.report.Cells.fmt1;
import static io.github.ser4j.bench.report.Cells.fmt2;
import static io.github.ser4j.bench.report.Cells.fmtBytesPrecise;
import static io.github.ser4j.bench.report.Cells.na;
import static io.github.ser4j.bench.report.Cells.time;

import io.github.ser4j.bench.report.JmhResults.Result;
import io.github.ser4j.bench.report.LibrosaResults.Timing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Targets" table of {@code RESULTS.md}: each target of the benchmark issues, its goal, what this run measured and
 * whether it was met. Rows behind a timing target come from the run's second JMH pass with more forks and iterations
 * when there is one ({@code --jmh-targets}); a row whose 99.9 % interval is wider than {@value #TRUSTED_INTERVAL} of its
 * mean says so.
 *
 * <p>Thread-safety: a one-shot writer; not for concurrent use.
 */
final class TargetsSection {
    /** Widest 99.9 % interval half-width, as a share of the mean, for a row to be called trustworthy. */
    static final double TRUSTED_INTERVAL = 0.10;
    /** Resampling within this multiple of soxr_hq's time. */
    static final double RESAMPLE_GOAL = 1.5;
    /** Live p99 hop-to-result latency on one core, ms. */
    static final double LIVE_P99_GOAL_MS = 20;
    /** ser analyze of 44.1 kHz originals over 16 kHz copies, whole process. */
    static final double ANALYZE_RATIO_GOAL = 1.25;

    private static final Pattern LIVE_LINE = Pattern.compile(
            "(wall clock|thread CPU time):\\s+p50 ([0-9.]+) ms, p90 ([0-9.]+) ms, p99 ([0-9.]+) ms");
    private static final Pattern LIVE_HEADER = Pattern.compile("(\\d+) segments over ([0-9.]+) s");

    private final JmhResults jmh;
    private final JmhResults tight;
    private final LibrosaResults librosa;
    private final String live;
    private final Map<String, String> analyze;
    private final StringBuilder md;

    /**
     * @param jmh     the suite's results
     * @param tight   the target rows' second pass (empty results if there was none)
     * @param librosa the peer's timings
     * @param live    LiveLatencyHarness's output, or empty
     * @param analyze AnalyzeRatioHarness's {@code key=value} output, or empty
     * @param md      the document to append to
     */
    TargetsSection(JmhResults jmh, JmhResults tight, LibrosaResults librosa, String live, Map<String, String> analyze,
                   StringBuilder md) {
        this.jmh = jmh;
        this.tight = tight;
        this.librosa = librosa;
        this.live = live;
        this.analyze = analyze;
        this.md = md;
    }

    void render() {
        md.append("## Targets\n\n");
        if (!tight.all().isEmpty()) {
            md.append("Rows marked † come from the run's second JMH pass over the target rows "
                    + "(`-f 2 -wi 3 -w 1s -i 8 -r 1s`); their interval is given as a share of the mean, and one wider "
                    + "than ").append(fmt0(100 * TRUSTED_INTERVAL)).append(" % is called untrustworthy.\n\n");
        }
        md.append("| target | goal | measured | met? |\n|---|---|---|---|\n");
        mfcc();
        endToEnd();
        streamingAllocation();
        resampling();
        liveLatency();
        analyzeRatio();
        md.append('\n');
    }

    private void mfcc() {
        Optional<Result> ours = best("MfccBench.ser4j", "seconds", "3");
        Optional<Timing> lib = librosa.find("mfcc", 3, 0);
        if (ours.isPresent() && lib.isPresent()) {
            double speedup = lib.get().minMicros() / ours.get().micros();
            String measured = timeWithInterval(ours.get()) + " vs " + time(lib.get().minMicros()) + ": "
                    + fmt1(speedup) + "x faster";
            target("MFCC of 3 s vs librosa (issue 23)", ">= 2x faster", measured, speedup >= 2, ours.get());
            target("MFCC of 3 s vs librosa (first goal)", ">= 3x faster", measured, speedup >= 3, ours.get());
        } else {
            targetNa("MFCC of 3 s vs librosa", ">= 2x faster (issue 23; 3x first)", ours.isEmpty()
                    ? why("MfccBench.ser4j") : librosa.unavailable().orElse("librosa result missing"));
        }
        Optional<Result> mfcc = jmh.find("MfccBench.ser4j", "seconds", "3");
        Optional<Result> tarsos = jmh.find("MfccBench.tarsosDsp", "seconds", "3");
        if (mfcc.isPresent() && tarsos.isPresent()) {
            double speedup = tarsos.get().micros() / mfcc.get().micros();
            target("MFCC of 3 s vs TarsosDSP (same run)", ">= 5x faster", time(mfcc.get().micros()) + " vs "
                    + time(tarsos.get().micros()) + ": " + fmt1(speedup) + "x faster", speedup >= 5, null);
        } else {
            targetNa("MFCC of 3 s vs TarsosDSP (same run)", ">= 5x faster", why("MfccBench.tarsosDsp"));
        }
        Optional<Result> fft = jmh.find("FftBench.jtransformsDouble");
        if (mfcc.isPresent() && fft.isPresent()) {
            double bound = ResultsReport.FRAMES_3S * fft.get().micros();
            double ratio = mfcc.get().micros() / bound;
            target("MFCC of 3 s / (301 x bare 512-point JTransforms real FFT)", "<= 1.3",
                    fmt2(ratio) + " (" + time(mfcc.get().micros()) + " / " + time(bound) + ")", ratio <= 1.3, null);
        } else {
            targetNa("MFCC of 3 s / (301 x bare 512-point FFT)", "<= 1.3", why("FftBench.jtransformsDouble"));
        }
    }

    private void endToEnd() {
        for (String rate : new String[] {"16000", "44100"}) {
            String what = rate.equals("16000") ? "End to end, 3 s 16 kHz WAV -> probabilities: real-time factor"
                    : "End to end, 3 s 44.1 kHz WAV (resampled) -> probabilities: real-time factor (issue 23)";
            Optional<Result> e2e = tight.find("EndToEndBench.wavToProbabilities", "seconds", "3", "sampleRate", rate)
                    .or(() -> ResultsReport.endToEnd(jmh, 3, rate));
            if (e2e.isPresent()) {
                double rtf = 3e6 / e2e.get().micros();
                target(what, ">= 1000x (<= 3 ms)", fmt0(rtf) + "x (" + timeWithInterval(e2e.get()) + ")",
                        rtf >= 1000, e2e.get());
            } else {
                targetNa(what, ">= 1000x (<= 3 ms)", why("EndToEndBench.wavToProbabilities"));
            }
        }
    }

    private void streamingAllocation() {
        double worst = Double.NaN;
        String where = "";
        for (Result r : jmh.all()) {
            if (r.benchmark().equals("StreamingHopBench.pushChunk") && r.mode().equals("avgt")
                    && !Double.isNaN(r.bytesPerOp())) {
                double perHop = r.bytesPerOp() / (Integer.parseInt(r.params().get("chunkMs")) / 10.0);
                if (Double.isNaN(worst) || perHop > worst) {
                    worst = perHop;
                    where = r.params().get("feature") + ", " + r.params().get("chunkMs") + " ms chunks";
                }
            }
        }
        if (!Double.isNaN(worst)) {
            // JMH's normalised allocation has a resolution of a fraction of a byte per op: below 1 B it is noise
            target("Steady-state streaming allocation", "0 B per hop", "at most " + fmtBytesPrecise(worst)
                    + " per hop (" + where + ")", worst < 1, null);
        } else {
            targetNa("Steady-state streaming allocation", "0 B per hop", why("StreamingHopBench.pushChunk"));
        }
    }

    private void resampling() {
        String goal = "<= " + RESAMPLE_GOAL + "x soxr_hq's time";
        for (int from : new int[] {48_000, 44_100, 22_050}) {
            String what = "Resampling 3 s " + (from == 48_000 ? "48" : from == 44_100 ? "44.1" : "22.05")
                    + " kHz -> 16 kHz vs librosa/soxr_hq (issue 23)";
            Optional<Result> ours = best("ResampleBench.ser4j", "fromHz", Integer.toString(from), "seconds", "3");
            Optional<Timing> lib = librosa.find("resample", 3, from);
            if (ours.isPresent() && lib.isPresent()) {
                double ratio = ours.get().micros() / lib.get().minMicros();
                target(what, goal, timeWithInterval(ours.get()) + " vs " + time(lib.get().minMicros()) + ": "
                        + fmt2(ratio) + "x its time", ratio <= RESAMPLE_GOAL, ours.get());
            } else {
                targetNa(what, goal, ours.isEmpty() ? why("ResampleBench.ser4j")
                        : librosa.unavailable().orElse("librosa result missing"));
            }
        }
    }

    private void liveLatency() {
        String what = "Live streaming, 44.1 kHz source, 10 ms reads: hop-to-result p99, one core (issue 23)";
        String goal = "p99 <= " + fmt0(LIVE_P99_GOAL_MS) + " ms";
        Map<String, double[]> lines = new java.util.HashMap<>();
        Matcher m = LIVE_LINE.matcher(live);
        while (m.find()) {
            lines.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4))});
        }
        double[] wall = lines.get("wall clock");
        if (wall == null) {
            targetNa(what, goal, "LiveLatencyHarness did not run or failed (see live.log)");
            return;
        }
        Matcher h = LIVE_HEADER.matcher(live);
        String over = h.find() ? ", " + h.group(1) + " segments over " + h.group(2) + " s" : "";
        double[] cpu = lines.get("thread CPU time");
        String measured = String.format(Locale.ROOT, "wall clock p50 %.2f ms, p99 %.2f ms", wall[0], wall[2])
                + (cpu == null ? "" : String.format(Locale.ROOT, " (thread CPU p99 %.2f ms)", cpu[2])) + over;
        target(what, goal, measured, wall[2] <= LIVE_P99_GOAL_MS, null);
    }

    private void analyzeRatio() {
        String what = "`ser analyze`, 44.1 kHz originals / 16 kHz copies of the same clips, whole process (issue 23)";
        String goal = "<= " + ANALYZE_RATIO_GOAL + "x";
        String ratio = analyze.get("ratio");
        if (ratio == null) {
            targetNa(what, goal, "AnalyzeRatioHarness did not run or failed (see analyze.log)");
            return;
        }
        double r = Double.parseDouble(ratio);
        String measured = fmt2(r) + "x (fastest of " + analyze.getOrDefault("rounds", "?") + " rounds, "
                + analyze.getOrDefault("clips", "?") + " clips of 2-4 s: "
                + analyze.getOrDefault("rate.44100.min_s", "?") + " s vs "
                + analyze.getOrDefault("rate.16000.min_s", "?") + " s)";
        target(what, goal, measured, r <= ANALYZE_RATIO_GOAL, null);
    }

    // ---- rows ----

    /** The second pass's result when there is one, else the suite's. */
    private Optional<Result> best(String benchmark, String... params) {
        return tight.find(benchmark, params).or(() -> jmh.find(benchmark, params));
    }

    private String timeWithInterval(Result r) {
        String t = time(r.micros());
        if (Double.isNaN(r.errorMicros())) {
            return t;
        }
        return t + " ± " + fmt0(100 * r.errorMicros() / r.micros()) + " %" + (isTight(r) ? " †" : "");
    }

    private boolean isTight(Result r) {
        return tight.all().contains(r);
    }

    private void target(String what, String goal, String measured, boolean met, Result behind) {
        String verdict = met ? "**met**" : "**missed**";
        if (behind != null && !Double.isNaN(behind.errorMicros())
                && behind.errorMicros() > TRUSTED_INTERVAL * behind.micros()) {
            verdict += " (interval wider than " + fmt0(100 * TRUSTED_INTERVAL) + " %: not trustworthy)";
        }
        md.append("| ").append(what).append(" | ").append(goal).append(" | ").append(measured).append(" | ")
                .append(verdict).append(" |\n");
    }

    private void targetNa(String what, String goal, String why) {
        md.append("| ").append(what).append(" | ").append(goal).append(" | ").append(na(why)).append(" | n/a |\n");
    }

    private String why(String benchmark) {
        return jmh.failure(benchmark).orElse("not in this run");
    }
}
