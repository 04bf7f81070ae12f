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
        assertTrue(md.contains("| MFCC of 3 s vs librosa | >= 3x faster | 600 µs vs 2.40 ms: 4.0x faster | **met** |"),
                md);
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
