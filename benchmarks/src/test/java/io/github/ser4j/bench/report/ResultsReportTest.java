package io.github.ser4j.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsReportTest {

    private static String result(String benchmark, String mode, String params, double score, String unit,
                                 double bytesPerOp) {
        return """
                {"jmhVersion": "1.37", "benchmark": "io.github.ser4j.bench.%s", "mode": "%s",
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreUnit": "%s",
                   "scorePercentiles": {"50.0": %s, "99.0": %s, "99.9": %s}},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"}}}
                """.formatted(benchmark, mode, params, score, unit, score, 2 * score, 3 * score, bytesPerOp);
    }

    private static final String LOG = """
            # JMH version: 1.37
            # Benchmark: io.github.ser4j.bench.FftBench.jtransformsDouble

            # Run progress: 0.00% complete, ETA 00:00:10
            # Warmup Iteration   1: 1880.0 ns/op
            # Benchmark: io.github.ser4j.bench.EndToEndBench.wavToProbabilities
            # Parameters: (seconds = 3)

            # Warmup Iteration   1: <failure>

            java.lang.IllegalStateException: default model not yet embedded: no card
            \tat io.github.ser4j.bench.BenchModel.card(BenchModel.java:31)

            # Run complete. Total time: 00:00:10
            """;

    @Test
    void computesTheTargetsFromTheRunsNumbers() throws Exception {
        String json = "[" + String.join(",",
                result("MfccBench.ser4j", "avgt", "\"seconds\": \"3\"", 600, "us/op", 200_000),
                result("MfccBench.tarsosDsp", "avgt", "\"seconds\": \"3\"", 6.0, "ms/op", 1_600_000),
                result("FftBench.jtransformsDouble", "avgt", "", 1500, "ns/op", 0),
                result("StreamingHopBench.pushChunk", "sample", "\"feature\": \"mfcc\", \"chunkMs\": \"20\"", 30,
                        "us/op", 9.5),
                result("StreamingHopBench.pushChunk", "avgt", "\"feature\": \"mfcc\", \"chunkMs\": \"20\"", 28,
                        "us/op", 0.02))
                + "]";
        String librosa = """
                {"librosa": "0.11.0", "numpy": "2.4.6", "scipy": "1.17.1", "soxr": "1.1.0", "python": "3.11.7",
                 "results": [{"op": "mfcc", "seconds": 3, "min_ms": 2.4, "median_ms": 2.5}]}
                """;
        JmhResults jmh = JmhResults.parse(json, LOG);
        assertEquals(600, jmh.find("MfccBench.ser4j", "seconds", "3").orElseThrow().micros(), 1e-9);
        assertEquals(6000, jmh.find("MfccBench.tarsosDsp").orElseThrow().micros(), 1e-9);
        assertEquals(60, jmh.findInMode("StreamingHopBench.pushChunk", "sample").orElseThrow().percentiles()
                .get(99.0), 1e-9);
        assertTrue(jmh.failure("EndToEndBench.wavToProbabilities").orElseThrow().contains("not yet embedded"));
        assertTrue(jmh.failure("FftBench.jtransformsDouble").isEmpty());

        String md = new ResultsReport(jmh, LibrosaResults.parse(librosa),
                Map.of("load.before", "0.50 0.40 0.30", "cpu.cores", "2")).render();
        // 2400 / 600 = 4x librosa: met; 6000 / 600 = 10x TarsosDSP: met; 600 / (301 * 1.5) = 1.33: missed
        assertTrue(md.contains("| MFCC of 3 s vs librosa (issue 23) | >= 2x faster | 600 µs vs 2.40 ms: 4.0x faster "
                + "| **met** |"), md);
        assertTrue(md.contains("| MFCC of 3 s vs librosa (first goal) | >= 3x faster | 600 µs vs 2.40 ms: 4.0x faster "
                + "| **met** |"), md);
        assertTrue(md.contains("600 µs vs 6.00 ms: 10.0x faster | **met** |"), md);
        assertTrue(md.contains("| <= 1.3 | 1.33 (600 µs / 452 µs) | **missed** |"), md);
        assertTrue(md.contains("n/a: default model not yet embedded: no card"), md);
        assertTrue(md.contains("at most 0.010 B per hop (mfcc, 20 ms chunks) | **met** |"), md);
        assertTrue(md.contains("| 3 s | 600 µs | 195.3 KB | 6.00 ms |"), md);
        assertTrue(md.contains("0.25 (4.0x faster)"), md);
        // streaming row: mean and allocation from avgt, percentiles from sample mode
        assertTrue(md.contains("| mfcc | 20 ms | 28.0 µs | 14.0 µs | 30.0 µs | 60.0 µs | 90.0 µs | 0.020 B |"), md);
        assertTrue(!md.contains("Caution"), "an idle machine gets no warning");
    }

    private static String withError(String benchmark, String params, double score, double error) {
        return """
                {"jmhVersion": "1.37", "benchmark": "io.github.ser4j.bench.%s", "mode": "avgt", "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "us/op"}}
                """.formatted(benchmark, params, score, error);
    }

    @Test
    void judgesTheIssue23TargetsFromBothPassesAndTheHarnesses() throws Exception {
        // the suite's rows are wide; the second pass's rows replace them where present
        JmhResults suite = JmhResults.parse("[" + String.join(",",
                withError("ResampleBench.ser4j", "\"fromHz\": \"48000\", \"seconds\": \"3\"", 2000, 1000),
                withError("ResampleBench.ser4j", "\"fromHz\": \"22050\", \"seconds\": \"3\"", 1000, 500),
                withError("EndToEndBench.wavToProbabilities", "\"seconds\": \"3\", \"sampleRate\": \"44100\"",
                        9000, 100)) + "]", "");
        JmhResults tight = JmhResults.parse("[" + String.join(",",
                withError("ResampleBench.ser4j", "\"fromHz\": \"48000\", \"seconds\": \"3\"", 900, 45),
                withError("EndToEndBench.wavToProbabilities", "\"seconds\": \"3\", \"sampleRate\": \"44100\"",
                        2500, 500)) + "]", "");
        String librosa = """
                {"librosa": "0.11.0", "numpy": "2.4.6", "scipy": "1.17.1", "soxr": "1.1.0", "python": "3.11.7",
                 "results": [{"op": "resample", "seconds": 3, "from_hz": 48000, "min_ms": 0.6, "median_ms": 0.7},
                             {"op": "resample", "seconds": 3, "from_hz": 22050, "min_ms": 0.5, "median_ms": 0.6}]}
                """;
        String live = """
                live latency, 44100 Hz source, 441-frame reads (10.0 ms), window 3.0 s, hop 1.0 s, 118 segments over 120 s
                  wall clock:      p50 4.10 ms, p90 6.00 ms, p99 21.50 ms, p99.9 30.00 ms, max 31.00 ms
                  thread CPU time: p50 3.90 ms, p90 5.00 ms, p99 8.25 ms, p99.9 9.00 ms, max 9.50 ms
                """;
        Map<String, String> analyze = Map.of("clips", "240", "rounds", "3", "rate.16000.min_s", "8.000",
                "rate.44100.min_s", "9.600", "ratio", "1.200");
        String md = new ResultsReport(suite, LibrosaResults.parse(librosa), Map.of(), java.util.Optional.empty(),
                new ResultsReport.Extras(tight, java.util.Optional.empty(), live, analyze)).render();
        // 900 / 600 = 1.5: met, from the second pass (± 45 = 5 %)
        assertTrue(md.contains("| Resampling 3 s 48 kHz -> 16 kHz vs librosa/soxr_hq (issue 23) | <= 1.5x soxr_hq's "
                + "time | 900 µs ± 5 % † vs 600 µs: 1.50x its time | **met** |"), md);
        // 1000 / 500 = 2.0: missed, from the suite, whose interval is 50 % of the mean
        assertTrue(md.contains("1.00 ms ± 50 % vs 500 µs: 2.00x its time | **missed** (interval wider than 10 %: "
                + "not trustworthy) |"), md);
        assertTrue(md.contains("| Resampling 3 s 44.1 kHz -> 16 kHz vs librosa/soxr_hq (issue 23) | <= 1.5x soxr_hq's "
                + "time | n/a: not in this run | n/a |"), md);
        // 3e6 / 2500 = 1200x from the second pass, not the suite's 9 ms; ± 20 %
        assertTrue(md.contains("| 1200x (2.50 ms ± 20 % †) | **met** (interval wider than 10 %: not trustworthy) |"),
                md);
        assertTrue(md.contains("| p99 <= 20 ms | wall clock p50 4.10 ms, p99 21.50 ms (thread CPU p99 8.25 ms), 118 "
                + "segments over 120 s | **missed** |"), md);
        assertTrue(md.contains("| <= 1.25x | 1.20x (fastest of 3 rounds, 240 clips of 2-4 s: 9.600 s vs 8.000 s) | "
                + "**met** |"), md);
    }

    @Test
    void formatsTimesAndSizes() {
        assertEquals("1.50 µs", Cells.time(1.5));
        assertEquals("12.3 ms", Cells.time(12_345));
        assertEquals("2.00 s", Cells.time(2e6));
        assertEquals("250 ns", Cells.time(0.25));
        assertEquals("0 B", Cells.fmtBytes(0.3));
        assertEquals("1.5 MB", Cells.fmtBytes(1.5 * 1024 * 1024));
        assertEquals("n/a: boom", Cells.na("java.lang.IllegalStateException: boom"));
    }

    @Test
    void emptyRunGivesAReportSayingWhy() throws Exception {
        String md = new ResultsReport(JmhResults.parse("", ""), LibrosaResults.read(null, "no python"),
                Map.of()).render();
        assertTrue(md.contains("not run: no python"), md);
        assertTrue(md.contains("n/a: not in this run"), md);
    }
}
