package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SegmentsTest {
    private static final List<String> LABELS = List.of("calm", "loud");

    private static EmotionSegment seg(double start, double end, float loud) {
        return new EmotionSegment(start, end, EmotionPrediction.of(LABELS, new float[] {1 - loud, loud}));
    }

    @Test
    void overlappingWindowsTrimmedToTheSameSpeechBecomeOneSegment() {
        // what the speech gate gives for windows [0.5, 2.5] and [1.0, 3.0] over speech at 1.04-2.90 s
        List<EmotionSegment> in = List.of(seg(0, 1.0, 0.2f), seg(1.04, 2.90, 0.6f), seg(1.04, 2.901, 0.8f),
                seg(3.5, 4.5, 0.1f));
        List<EmotionSegment> out = Segments.mergeSameSpans(in);
        assertEquals(3, out.size());
        assertEquals(1.04, out.get(1).startSeconds());
        assertEquals(2.90, out.get(1).endSeconds());
        assertEquals(0.7f, out.get(1).prediction().probability("loud"), 1e-6, "the mean of 0.6 and 0.8");
        assertEquals("loud", out.get(1).prediction().label());
        assertEquals(0.1f, out.get(2).prediction().probability("loud"), 0);
    }

    @Test
    void distinctSpansAndNoSpeechAreKept() {
        List<EmotionSegment> in = List.of(seg(0, 1, 0.2f), seg(0.5, 1.5, 0.4f), seg(1.0, 2.0, 0.9f));
        assertSame(in, Segments.mergeSameSpans(in));
        EmotionSegment silent = new EmotionSegment(1, 2, EmotionPrediction.noSpeech(LABELS));
        List<EmotionSegment> out = Segments.mergeSameSpans(List.of(silent, seg(1, 2, 0.9f)));
        assertEquals(1, out.size());
        assertEquals(0.9f, out.get(0).prediction().probability("loud"), 0, "the speech prediction wins");
        assertEquals(1, Segments.mergeSameSpans(List.of(silent, silent)).size());
    }
}
