package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze(AudioSource)} / {@code recognize(AudioSource)}: a source within the card's streaming window is one
 * clip, as before; a longer one is the speech-weighted mean of the windows the stream analyses; the reported duration,
 * speech seconds and window count follow from a signal whose layout the test builds.
 */
class RecordingAnalysisTest {
    /** offset 0.1 s, 0.8 s cropped at the centre, 16 kHz; streaming window 1 s, hop 0.5 s. */
    static OnnxEmotionRecognizer centre;
    /** 1 s cropped at the start; streaming window 1 s, hop 0.5 s. */
    static OnnxEmotionRecognizer start;

    @BeforeAll
    static void load() {
        centre = OnnxEmotionRecognizer.load(Fixtures.card("keras_mlp_mfcc_mean"));
        start = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"));
    }

    @AfterAll
    static void close() {
        centre.close();
        start.close();
    }

    /** A voiced, amplitude-modulated signal whose value depends only on the absolute index. */
    static float voice(long i, int rate) {
        double t = i / (double) rate;
        double env = 0.2 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t);
        return (float) (env * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t + 1)
                + 0.25 * Math.sin(2 * Math.PI * 1230 * t)));
    }

    @Test
    void aStereoClipWithinTheWindowIsOneClipAsBefore() {
        int rate = 44100;
        int frames = rate * 9 / 10; // 0.9 s: within the 1 s window
        float[] stereo = new float[2 * frames];
        float[] mono = new float[frames];
        for (int i = 0; i < frames; i++) {
            stereo[2 * i] = voice(i, rate);
            stereo[2 * i + 1] = 0.5f * voice(i + 777, rate);
            mono[i] = (stereo[2 * i] + stereo[2 * i + 1]) / 2;
        }
        for (OnnxEmotionRecognizer ser : new OnnxEmotionRecognizer[] {centre, start}) {
            EmotionPrediction whole = ser.recognize(mono, rate); // batch resampling, the card's pad and crop
            RecordingPrediction read = ser.analyze(AudioSource.of(stereo, new PcmFormat(rate, 2)));
            assertTrue(whole.isSpeech());
            assertArrayEquals(whole.probabilities(), read.prediction().probabilities(), 1e-5f, ser.model().name());
            assertEquals(1, read.windows());
            assertEquals(0.9, read.durationSeconds(), 1e-12);
            assertEquals(read.prediction(), ser.recognize(AudioSource.of(stereo, new PcmFormat(rate, 2))));
        }
    }

    /**
     * Speech at [0.5, 1.7), [3.2, 5.2) and [6.7, 7.4) s, digital silence elsewhere, 8 s: each 1 s window holds at
     * most one stretch of speech (the gaps are 1.5 s), so the speech the detector finds in a window is the segment
     * the stream reports for it, and the result must be the mean of the stream's segments weighted by their length.
     */
    @Test
    void aLongRecordingIsTheSpeechWeightedMeanOfItsWindows() {
        int rate = 16000;
        double[][] speech = {{0.5, 1.7}, {3.2, 5.2}, {6.7, 7.4}};
        float[] y = new float[8 * rate];
        for (double[] s : speech) {
            for (int i = (int) (s[0] * rate); i < (int) (s[1] * rate); i++) {
                y[i] = voice(i, rate);
            }
        }
        for (OnnxEmotionRecognizer ser : new OnnxEmotionRecognizer[] {centre, start}) {
            List<EmotionSegment> segments = new ArrayList<>();
            ser.stream(AudioSource.of(y, rate), StreamOptions.defaults(), segments::add);
            assertTrue(segments.size() >= 8, segments.size() + " segments");
            int labels = ser.labels().size();
            double[] sum = new double[labels];
            double weights = 0;
            for (EmotionSegment s : segments) {
                float[] p = s.prediction().probabilities();
                for (int k = 0; k < labels; k++) {
                    sum[k] += s.durationSeconds() * p[k];
                }
                weights += s.durationSeconds();
            }
            RecordingPrediction got = ser.analyze(AudioSource.of(y, rate));
            assertEquals(segments.size(), got.windows(), ser.model().name());
            assertEquals(got.prediction(), ser.recognize(AudioSource.of(y, rate)), ser.model().name());
            float[] p = got.prediction().probabilities();
            for (int k = 0; k < labels; k++) {
                assertEquals(sum[k] / weights, p[k], 1e-6, ser.model().name() + " label " + k);
            }
            assertEquals(8.0, got.durationSeconds(), 1e-12);
            // 3.9 s of speech; the energy detector confirms each onset 30 ms late and holds on 250 ms after it
            assertTrue(got.speechSeconds() >= 3.9 - 3 * 0.03 - 0.02 && got.speechSeconds() <= 3.9 + 3 * 0.25 + 0.02,
                    ser.model().name() + ": " + got.speechSeconds() + " s of speech");
            // and differs from the old centre window alone (the mean is not a single window's answer)
            assertFalse(Arrays.equals(ser.recognize(y, rate).probabilities(), p), ser.model().name());
        }
    }

    @Test
    void aLongSilentRecordingHasNoSpeechAndNoWindows() {
        RecordingPrediction got = start.analyze(AudioSource.of(new float[5 * 16000], 16000));
        assertFalse(got.prediction().isSpeech());
        assertEquals(0, got.windows());
        assertEquals(0.0, got.speechSeconds());
        assertEquals(5.0, got.durationSeconds(), 1e-12);
    }

    @Test
    void aSourceDeliveringOtherThanItsStatedLengthIsCorrupt() {
        AudioSource liar = new AudioSource() {
            int pos;

            @Override
            public PcmFormat format() {
                return PcmFormat.mono(16000);
            }

            @Override
            public long frameLength() {
                return 32000;
            }

            @Override
            public int read(float[] buffer, int off, int frames) {
                if (pos >= 8000) {
                    return -1;
                }
                int k = Math.min(frames, 8000 - pos);
                for (int i = 0; i < k; i++) {
                    buffer[off + i] = voice(pos + i, 16000);
                }
                pos += k;
                return k;
            }

            @Override
            public void close() {
            }
        };
        CorruptAudioException e = assertThrows(CorruptAudioException.class, () -> centre.recognize(liar));
        assertTrue(e.getMessage().contains("8000") && e.getMessage().contains("32000"), e.getMessage());
    }

    @Test
    void nonFiniteSamplesAreTheSameErrorInClipsAndStreams() throws IOException {
        float[] y = new float[3 * 16000];
        for (int i = 0; i < y.length; i++) {
            y[i] = voice(i, 16000);
        }
        y[20000] = Float.NaN;
        CorruptAudioException clip = assertThrows(CorruptAudioException.class,
                () -> start.recognize(AudioSource.of(y, 16000)));
        assertTrue(clip.getMessage().contains("NaN") && clip.getMessage().contains("frame 20000"), clip.getMessage());
        y[20000] = Float.POSITIVE_INFINITY;
        try (SegmentStream s = start.stream(AudioSource.of(y, 16000), StreamOptions.builder().vadEnabled(false).build())) {
            CorruptAudioException stream = assertThrows(CorruptAudioException.class,
                    () -> s.forEachRemaining(seg -> { }));
            assertTrue(stream.getMessage().contains("Infinity") && stream.getMessage().contains("frame 20000"),
                    stream.getMessage());
        }
    }
}
