package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming timelines on synthetic signals whose truth is known by construction: speech-like bursts (a harmonic
 * "vowel" at f0 150 Hz with a 4 Hz syllable envelope) separated by a -65 dBFS noise floor.
 */
class StreamingTest {
    static final double[][] BURSTS = {{1.0, 2.5}, {4.5, 6.0}};
    /** The default energy VAD confirms onsets after 30 ms and holds speech for 250 ms of hangover. */
    static final double ONSET_TOLERANCE = 0.06;
    static final double HANGOVER_TOLERANCE = 0.30;

    static OnnxEmotionRecognizer ser;

    @BeforeAll
    static void load() {
        ser = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc")); // 1 s windows, hop 0.5 s
    }

    @AfterAll
    static void close() {
        ser.close();
    }

    /** Mono signal at {@code rate}: noise floor plus bursts at {@link #BURSTS}. */
    static float[] bursts(int rate, double seconds, double[][] bursts) {
        Random r = new Random(42);
        float[] y = new float[(int) (seconds * rate)];
        for (int i = 0; i < y.length; i++) {
            double t = (double) i / rate;
            double v = 5.6e-4 * r.nextGaussian();
            for (double[] b : bursts) {
                if (t >= b[0] && t < b[1]) {
                    double syllable = 0.35 + 0.65 * Math.pow(Math.sin(Math.PI * 4 * (t - b[0])), 2);
                    double fade = Math.min(1, Math.min(t - b[0], b[1] - t) / 0.01);
                    double vowel = 0;
                    for (int h = 1; h <= 20; h++) {
                        double f = 150 * h;
                        double g = Math.exp(-Math.pow((f - 700) / 300, 2)) + 0.5 * Math.exp(-Math.pow((f - 1800) / 400, 2))
                                + 0.03;
                        vowel += g * Math.sin(2 * Math.PI * f * t + h);
                    }
                    v += 0.12 * syllable * fade * vowel;
                }
            }
            y[i] = (float) v;
        }
        return y;
    }

    static List<EmotionSegment> collect(SegmentStream s) {
        List<EmotionSegment> out = new ArrayList<>();
        try (s) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    static void assertSegmentsOnBursts(List<EmotionSegment> segments, double[][] bursts) {
        assertFalse(segments.isEmpty(), "segments where the bursts are");
        double lastStart = -1;
        for (EmotionSegment s : segments) {
            assertTrue(s.startSeconds() >= lastStart, "time order: " + segments);
            lastStart = s.startSeconds();
            assertTrue(s.prediction().isSpeech());
            boolean inside = false;
            for (double[] b : bursts) {
                inside |= s.startSeconds() >= b[0] - ONSET_TOLERANCE && s.endSeconds() <= b[1] + HANGOVER_TOLERANCE;
            }
            assertTrue(inside, "segment " + s.startSeconds() + ".." + s.endSeconds() + " lies on a burst");
        }
        for (double[] b : bursts) { // each burst covered (nearly) end to end
            double covered = coverage(segments, b[0], b[1]);
            assertTrue(covered >= 0.9 * (b[1] - b[0]), "burst " + Arrays.toString(b) + " covered " + covered + " s");
            double first = segments.stream().filter(s -> s.endSeconds() > b[0] && s.startSeconds() < b[1])
                    .mapToDouble(EmotionSegment::startSeconds).min().orElseThrow();
            assertEquals(b[0], first, ONSET_TOLERANCE, "first segment starts at the burst");
        }
    }

    static double coverage(List<EmotionSegment> segments, double from, double to) {
        int steps = 1000;
        int hit = 0;
        for (int i = 0; i < steps; i++) {
            double t = from + (to - from) * (i + 0.5) / steps;
            if (segments.stream().anyMatch(s -> s.startSeconds() <= t && t < s.endSeconds())) {
                hit++;
            }
        }
        return (to - from) * hit / steps;
    }

    @Test
    void vadGatedTimelineHasSegmentsOnlyWhereTheBurstsAre() {
        float[] y = bursts(16000, 8.0, BURSTS);
        SegmentStream s = ser.stream(AudioSource.of(y, 16000),
                StreamOptions.builder().windowSeconds(1.0).hopSeconds(0.25).build());
        List<EmotionSegment> segments = collect(s);
        StringBuilder sb = new StringBuilder("TIMELINE bursts 1.0-2.5 s and 4.5-6.0 s:");
        segments.forEach(g -> sb.append(String.format(java.util.Locale.ROOT, " [%.3f-%.3f %s]", g.startSeconds(),
                g.endSeconds(), g.prediction().label())));
        System.out.println(sb);
        assertSegmentsOnBursts(segments, BURSTS);
        assertEquals(8.0, s.positionSeconds(), 1e-9);
        // no segment anywhere in the silence between the bursts
        assertTrue(segments.stream().noneMatch(g -> g.endSeconds() > 2.5 + HANGOVER_TOLERANCE
                && g.startSeconds() < 4.5 - ONSET_TOLERANCE), segments.toString());
    }

    @Test
    void stereoAt48kHzIsMixedDownAndResampledOnTheFly() {
        float[] mono = bursts(48000, 8.0, BURSTS);
        float[] stereo = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i] * 0.5f;
        }
        List<EmotionSegment> segments = collect(ser.stream(AudioSource.of(stereo, new PcmFormat(48000, 2)),
                StreamOptions.builder().windowSeconds(1.0).hopSeconds(0.25).build()));
        assertSegmentsOnBursts(segments, BURSTS);
    }

    @Test
    void silenceGivesNoSegments() {
        float[] y = bursts(16000, 3.0, new double[0][]);
        assertTrue(collect(ser.stream(AudioSource.of(y, 16000), StreamOptions.defaults())).isEmpty());
        assertTrue(collect(ser.stream(AudioSource.of(new float[16000], 16000), StreamOptions.defaults())).isEmpty());
    }

    @Test
    void windowsWithoutVadCoverTheSourceAtExactTimesWithTheClipResult() {
        float[] tone = new float[(int) (3.3 * 16000)];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.2 * Math.sin(2 * Math.PI * 330 * i / 16000.0) * (1 + 0.5 * Math.sin(i / 3000.0)));
        }
        List<EmotionSegment> segments = collect(ser.stream(AudioSource.of(tone, 16000),
                StreamOptions.builder().vadEnabled(false).build())); // card defaults: window 1 s, hop 0.5 s
        double[] starts = {0, 0.5, 1.0, 1.5, 2.0, 2.5};
        double[] ends = {1.0, 1.5, 2.0, 2.5, 3.0, 3.3};
        assertEquals(starts.length, segments.size(), segments.toString());
        for (int i = 0; i < starts.length; i++) {
            EmotionSegment s = segments.get(i);
            assertEquals(starts[i], s.startSeconds(), 1e-9);
            assertEquals(ends[i], s.endSeconds(), 1e-9);
            float[] window = Arrays.copyOfRange(tone, (int) Math.round(starts[i] * 16000),
                    (int) Math.round(ends[i] * 16000));
            assertArrayEquals(ser.recognize(window, 16000).probabilities(), s.prediction().probabilities(), 0f,
                    "window " + i + " is exactly that stretch of audio");
        }
    }

    @Test
    void smoothingAveragesConsecutiveWindows() {
        float[] y = bursts(16000, 8.0, BURSTS);
        StreamOptions.Builder b = StreamOptions.builder().windowSeconds(1.0).hopSeconds(0.25);
        List<EmotionSegment> raw = collect(ser.stream(AudioSource.of(y, 16000), b.build()));
        List<EmotionSegment> smooth = collect(ser.stream(AudioSource.of(y, 16000), b.smoothing(3).build()));
        assertEquals(raw.size(), smooth.size());
        int checked = 0;
        for (int i = 2; i < raw.size(); i++) {
            // windows i-2..i are consecutive when their starts are one hop apart
            if (Math.abs(windowStart(raw, i) - windowStart(raw, i - 2) - 0.5) > 1e-9) {
                continue;
            }
            float[] mean = new float[raw.get(i).prediction().labels().size()];
            for (int k = i - 2; k <= i; k++) {
                float[] p = raw.get(k).prediction().probabilities();
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += p[j] / 3;
                }
            }
            assertArrayEquals(mean, smooth.get(i).prediction().probabilities(), 1e-6f);
            checked++;
        }
        assertTrue(checked >= 4, "compared " + checked + " smoothed windows");
    }

    /** The window a VAD-trimmed segment came from starts at a multiple of the hop at or before it. */
    private static double windowStart(List<EmotionSegment> segments, int i) {
        double s = segments.get(i).startSeconds();
        double end = segments.get(i).endSeconds();
        return Math.max(Math.floor(s / 0.25) * 0.25, Math.ceil((end - 1.0) / 0.25 - 1e-9) * 0.25);
    }

    @Test
    void silenceAfterSpeechStopsTheStream() {
        float[] y = bursts(16000, 10.0, new double[][] {{0.5, 1.5}});
        SegmentStream s = ser.stream(AudioSource.of(y, 16000), StreamOptions.builder().silenceStopSeconds(1.0).build());
        List<EmotionSegment> segments = collect(s);
        assertSegmentsOnBursts(segments, new double[][] {{0.5, 1.5}});
        assertTrue(s.positionSeconds() < 3.5, "stopped about 1 s after the speech, at " + s.positionSeconds());
    }

    @Test
    void callbackDeliversTheSameTimelineAsTheIterator() {
        float[] y = bursts(16000, 8.0, BURSTS);
        StreamOptions o = StreamOptions.builder().windowSeconds(1.0).hopSeconds(0.5).build();
        List<EmotionSegment> viaIterator = collect(ser.stream(AudioSource.of(y, 16000), o));
        List<EmotionSegment> viaCallback = new ArrayList<>();
        ser.stream(AudioSource.of(y, 16000), o, viaCallback::add);
        assertEquals(viaIterator, viaCallback);
        assertEquals(viaIterator, ser.timeline(AudioSource.of(y, 16000))); // defaults = the card's 1 s / 0.5 s
    }

    @Test
    void streamApiContract() {
        SegmentStream s = ser.stream(AudioSource.of(new float[8000], 16000), StreamOptions.defaults());
        assertFalse(s.hasNext());
        assertThrows(NoSuchElementException.class, s::next);
        s.close();
        s.close();
        assertThrows(IllegalArgumentException.class, () -> ser.stream(AudioSource.of(new float[8000], 16000),
                StreamOptions.builder().hopSeconds(2.0).build())); // exceeds the card's 1 s window
        SegmentStream closedEarly = ser.stream(AudioSource.of(bursts(16000, 8.0, BURSTS), 16000),
                StreamOptions.defaults());
        closedEarly.close();
        assertFalse(closedEarly.hasNext());
        EmotionPrediction p = ser.recognize(bursts(16000, 1.0, new double[][] {{0.2, 0.8}}), 16000);
        assertTrue(p.isSpeech());
    }
}
