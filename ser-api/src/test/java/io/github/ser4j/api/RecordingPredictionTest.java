package io.github.ser4j.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invariants {@link RecordingPrediction} promises: a speech result rests on windows, a silent one on none. */
class RecordingPredictionTest {
    private static final List<String> LABELS = List.of("calm", "loud");
    private static final EmotionPrediction SPEECH = EmotionPrediction.of(LABELS, new float[] {0.25f, 0.75f});
    private static final EmotionPrediction SILENCE = EmotionPrediction.noSpeech(LABELS);

    @Test
    void holdsWhatItIsGiven() {
        RecordingPrediction r = new RecordingPrediction(SPEECH, 12.5, 7.25, 9);
        assertEquals(SPEECH, r.prediction());
        assertEquals(12.5, r.durationSeconds());
        assertEquals(7.25, r.speechSeconds());
        assertEquals(9, r.windows());
        assertEquals(0, new RecordingPrediction(SILENCE, 4.0, 0.0, 0).windows());
    }

    @Test
    void windowsMustAgreeWithSpeech() {
        String a = assertThrows(IllegalArgumentException.class, () -> new RecordingPrediction(SPEECH, 4, 1, 0))
                .getMessage();
        assertTrue(a.contains("0 windows for a speech prediction"), a);
        String b = assertThrows(IllegalArgumentException.class, () -> new RecordingPrediction(SILENCE, 4, 0, 2))
                .getMessage();
        assertTrue(b.contains("2 windows for a no-speech prediction"), b);
        assertThrows(IllegalArgumentException.class, () -> new RecordingPrediction(SPEECH, 4, 1, -1));
    }

    @Test
    void durationsMustBeFiniteAndNonNegative() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new RecordingPrediction(SPEECH, bad, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> new RecordingPrediction(SPEECH, 4, bad, 1));
        }
        assertThrows(NullPointerException.class, () -> new RecordingPrediction(null, 4, 1, 1));
    }
}
