package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file-level arithmetic on hand-made timelines, without Spark. */
class FileAnalysisTest {
    private static final List<String> LABELS = List.of("calm", "angry");

    private static EmotionSegment seg(double start, double end, float angry, double arousal) {
        return new EmotionSegment(start, end, EmotionPrediction.of(LABELS, new float[] {1 - angry, angry}, arousal,
                -arousal));
    }

    @Test
    void speechIsTheUnionOfOverlappingWindows() {
        // 3 s windows every 1 s over [0, 5), then a gap, then [7, 8)
        List<EmotionSegment> t = List.of(seg(0, 3, 0.5f, 0), seg(1, 4, 0.5f, 0), seg(2, 5, 0.5f, 0),
                seg(7, 8, 0.5f, 0));
        assertEquals(6.0, FileAnalysis.speechSeconds(t), 1e-12);
        assertEquals(0.0, FileAnalysis.speechSeconds(List.of()));
    }

    @Test
    void theFileLevelIsTheSpeechDurationWeightedMean() {
        // 3 s at p(angry) 0.9 and 1 s at 0.1: (3 * 0.9 + 1 * 0.1) / 4 = 0.7
        EmotionPrediction p = FileAnalysis.fileLevelFromSegments(List.of(seg(0, 3, 0.9f, 0.4), seg(5, 6, 0.1f, 0.8)),
                LABELS);
        assertEquals("angry", p.label());
        assertEquals(0.7f, p.probability("angry"), 1e-6);
        assertEquals(0.3f, p.probability("calm"), 1e-6);
        assertEquals((3 * 0.4 + 0.8) / 4, p.arousal().getAsDouble(), 1e-12);
        assertEquals(-(3 * 0.4 + 0.8) / 4, p.valence().getAsDouble(), 1e-12);
        assertFalse(FileAnalysis.fileLevelFromSegments(List.of(), LABELS).isSpeech());
    }

    @Test
    void aBackendWithoutWholeRecordingAnalysisGetsTheTimelinesMean() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("file-analysis");
        try {
            java.nio.file.Path b = dir.resolve("b.wav");
            // 1 s of amplitude 0.5, 1 s of silence, 1 s of 0.1: two speech windows of the fake's 1 s
            TestAudio.wav(b, 16000, 1, new double[] {0.5, 0, 0.1}, new double[] {1, 1, 1});
            byte[] bytes = java.nio.file.Files.readAllBytes(b);
            io.github.ser4j.api.StreamOptions half = io.github.ser4j.api.StreamOptions.builder().windowSeconds(0.5)
                    .hopSeconds(0.5).build();
            FileAnalysis.Outcome with = FileAnalysis.analyse(new FakeRecognizer(true), half, 1.0, bytes);
            FileAnalysis.Outcome without = FileAnalysis.analyse(new FakeRecognizer(false), half, 1.0, bytes);
            assertTrue(with.ok() && without.ok(), with + " / " + without);
            assertEquals(4, with.segments().size());
            assertEquals(2, with.windows(), "analyze(): the card's 1 s windows");
            assertEquals(4, without.windows(), "fallback: the timeline's 0.5 s segments");
            assertEquals(2.0, without.speechS(), 1e-9);
            double r2 = Math.sqrt(2);
            double angry = (2 * 0.5 / r2 + 2 * 0.1 / r2) / 2;
            assertEquals(angry, with.prediction().probability("angry"), 1e-3);
            assertEquals(angry, without.prediction().probability("angry"), 1e-3, "the same mean here");
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
