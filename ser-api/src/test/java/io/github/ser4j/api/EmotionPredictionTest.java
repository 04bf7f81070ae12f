package io.github.ser4j.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmotionPredictionTest {
    private static final List<String> LABELS = List.of("neutral", "happy", "sad");

    @Test
    void topLabelIsTheArgmaxAndFirstWinsTies() {
        EmotionPrediction p = EmotionPrediction.of(LABELS, new float[] {0.2f, 0.5f, 0.3f});
        assertEquals("happy", p.label());
        assertEquals(0.5f, p.confidence());
        assertEquals(0.3f, p.probability("sad"));
        EmotionPrediction tie = EmotionPrediction.of(LABELS, new float[] {0.4f, 0.4f, 0.2f});
        assertEquals("neutral", tie.label());
    }

    @Test
    void callerArraysAreCopiedBothWays() {
        float[] probs = {0.1f, 0.6f, 0.3f};
        EmotionPrediction p = EmotionPrediction.of(LABELS, probs);
        probs[1] = 0f;
        assertEquals("happy", p.label());
        p.probabilities()[1] = 0f;
        assertEquals(0.6f, p.probability("happy"));
    }

    @Test
    void noSpeechIsNeverAConfidentEmotion() {
        EmotionPrediction p = EmotionPrediction.noSpeech(LABELS);
        assertFalse(p.isSpeech());
        assertEquals(EmotionPrediction.NO_SPEECH, p.label());
        assertEquals(0f, p.confidence());
        for (float v : p.probabilities()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void invalidInputIsRejectedWithTheReason() {
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> EmotionPrediction.of(LABELS, new float[] {1f}));
        assertTrue(sizes.getMessage().contains("1 probabilities for 3 labels"), sizes.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> EmotionPrediction.of(LABELS, new float[] {Float.NaN, 0f, 0f}));
        assertTrue(nan.getMessage().contains("neutral"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> EmotionPrediction.of(List.of("a", "a"), new float[] {0.5f, 0.5f}));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> EmotionPrediction.of(LABELS, new float[] {1f, 0f, 0f}).probability("calm"));
        assertTrue(unknown.getMessage().contains("calm"), unknown.getMessage());
    }

    @Test
    void arousalAndValenceAreOptional() {
        assertTrue(EmotionPrediction.of(LABELS, new float[] {1f, 0f, 0f}).arousal().isEmpty());
        EmotionPrediction p = EmotionPrediction.of(LABELS, new float[] {1f, 0f, 0f}, 0.25, -0.5);
        assertEquals(0.25, p.arousal().getAsDouble());
        assertEquals(-0.5, p.valence().getAsDouble());
    }

    @Test
    void segmentsRejectImpossibleTimes() {
        EmotionPrediction p = EmotionPrediction.noSpeech(LABELS);
        assertEquals(0.5, new EmotionSegment(1.0, 1.5, p).durationSeconds(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new EmotionSegment(1.0, 1.0, p));
        assertThrows(IllegalArgumentException.class, () -> new EmotionSegment(-1.0, 1.0, p));
        assertThrows(IllegalArgumentException.class, () -> new EmotionSegment(Double.NaN, 1.0, p));
    }
}
