package io.github.ser4j.dsp.vad;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Burst;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Noise;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segment boundaries against the known truth of synthetic speech-like bursts, clean and in white/pink noise at 0, 10
 * and 20 dB SNR; auto-stop timing.
 */
class SegmenterVadTest {
    private static final double TOLERANCE_S = 0.050;
    private static final double[] DURATIONS = {0.75, 1.25, 0.5, 1.5, 1.0};
    private static final double[] GAPS = {0.8, 1.0, 0.7, 1.2};

    static Stream<Arguments> conditions() {
        List<Arguments> list = new ArrayList<>();
        for (int rate : new int[] {16000, 8000}) {
            list.add(Arguments.of(rate, null, Double.POSITIVE_INFINITY));
            for (Noise n : Noise.values()) {
                for (double snr : new double[] {20, 10, 0}) {
                    list.add(Arguments.of(rate, n, snr));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} Hz, {1} noise at {2} dB SNR")
    @MethodSource("conditions")
    void boundariesWithin50msOfTruth(int rate, Noise noise, double snr) {
        double worst = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Scene scene = VadSignalsForTest.scene(rate, 1.5, DURATIONS, GAPS, 1.0, seed);
            float[] x = noise == null ? scene.clean() : VadSignalsForTest.withNoise(scene, noise, snr, 100 + seed);
            SpeechSegmenter seg = SpeechSegmenter.builder(rate).silenceStopSeconds(Double.POSITIVE_INFINITY).build();
            List<SpeechSegment> found = seg.segmentAll(x);
            String where = String.format(Locale.ROOT, "%d Hz, %s noise, SNR %.0f dB, seed %d: found %s", rate,
                    noise, snr, seed, describe(found));
            assertEquals(scene.bursts().size(), found.size(), where);
            for (int i = 0; i < found.size(); i++) {
                Burst truth = scene.bursts().get(i);
                double ds = found.get(i).startSeconds() - truth.startSeconds(rate);
                double de = found.get(i).endSeconds() - truth.endSeconds(rate);
                worst = Math.max(worst, Math.max(Math.abs(ds), Math.abs(de)));
                assertTrue(Math.abs(ds) <= TOLERANCE_S && Math.abs(de) <= TOLERANCE_S, String.format(Locale.ROOT,
                        "segment %d start error %.3f s, end error %.3f s; %s", i, ds, de, where));
            }
        }
        System.out.printf(Locale.ROOT, "VAD boundary error: %5d Hz %-5s SNR %4.0f dB: worst %.1f ms%n", rate,
                noise == null ? "clean" : noise, snr, worst * 1000);
    }

    @Test
    void autoStopFiresAfterConfiguredSilence() {
        int rate = 16000;
        for (double stop : new double[] {2.0, 0.8}) {
            Scene scene = VadSignalsForTest.scene(rate, 1.0, new double[] {1.0, 0.75}, new double[] {0.6}, 5.0, 7);
            float[] x = VadSignalsForTest.withNoise(scene, Noise.PINK, 20, 8);
            SpeechSegmenter seg = SpeechSegmenter.builder(rate).silenceStopSeconds(stop).build();
            List<SpeechSegment> found = new ArrayList<>();
            // feed in odd-sized chunks, as a live stream would arrive
            int pos = 0;
            int stoppedAt = -1;
            while (pos < x.length) {
                int n = Math.min(333, x.length - pos);
                int used = seg.process(x, pos, n, found::add);
                pos += used;
                if (seg.isStopped()) {
                    stoppedAt = pos;
                    break;
                }
            }
            assertTrue(seg.isStopped(), "auto-stop never fired");
            assertEquals(2, found.size(), describe(found));
            double expected = scene.bursts().get(1).endSeconds(rate) + stop;
            double actual = (double) stoppedAt / rate;
            assertTrue(Math.abs(actual - expected) <= TOLERANCE_S,
                    "stopped at " + actual + " s, expected " + expected + " s (stop " + stop + " s)");
            // a stopped segmenter consumes nothing more
            assertEquals(0, seg.process(x, 0, 100, found::add));
        }
    }

    @Test
    void longSpeechWithShortPausesStaysOneSegment() {
        // 20 s of "monologue": 0.5 s bursts with 0.15 s pauses (shorter than the hangover), far longer than the
        // detector's 3 s noise window: it must not mistake the speech for risen noise and cut it off
        int rate = 16000;
        double[] durations = new double[30];
        double[] gaps = new double[29];
        java.util.Arrays.fill(durations, 0.5);
        java.util.Arrays.fill(gaps, 0.15);
        for (Noise noise : Noise.values()) {
            for (double snr : new double[] {20, 0}) {
                Scene scene = VadSignalsForTest.scene(rate, 1.5, durations, gaps, 1.0, 31);
                float[] x = VadSignalsForTest.withNoise(scene, noise, snr, 32);
                List<SpeechSegment> found = SpeechSegmenter.builder(rate).silenceStopSeconds(Double.POSITIVE_INFINITY)
                        .build().segmentAll(x);
                String where = noise + " at " + snr + " dB: " + describe(found);
                assertEquals(1, found.size(), where);
                assertEquals(1.5, found.get(0).startSeconds(), TOLERANCE_S, where);
                assertEquals(scene.bursts().get(29).endSeconds(rate), found.get(0).endSeconds(), TOLERANCE_S, where);
            }
        }
    }

    @Test
    void silenceBeforeSpeechNeverStops() {
        int rate = 16000;
        float[] x = VadSignalsForTest.withNoise(
                VadSignalsForTest.scene(rate, 6.0, new double[] {0.5}, new double[0], 0.5, 3), Noise.WHITE, 20, 4);
        SpeechSegmenter seg = SpeechSegmenter.builder(rate).silenceStopSeconds(1.0).build();
        List<SpeechSegment> found = seg.segmentAll(x);
        assertFalse(seg.isStopped());
        assertEquals(1, found.size());
    }

    @Test
    void speechAfterDigitalSilenceAndAtFullScaleIsFound() {
        int rate = 16000;
        Scene scene = VadSignalsForTest.scene(rate, 1.0, new double[] {1.0}, new double[0], 1.0, 5);
        float[] x = scene.clean().clone();
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= peak; // exactly full scale at the peak; exact zeros around the burst
        }
        List<SpeechSegment> found = SpeechSegmenter.builder(rate).build().segmentAll(x);
        assertEquals(1, found.size(), describe(found));
        assertEquals(1.0, found.get(0).startSeconds(), TOLERANCE_S);
        assertEquals(2.0, found.get(0).endSeconds(), TOLERANCE_S);
    }

    @Test
    void runReadsAMonoSourceAndRejectsOtherFormats() throws Exception {
        int rate = 16000;
        Scene scene = VadSignalsForTest.scene(rate, 1.0, new double[] {0.75}, new double[0], 1.0, 11);
        SpeechSegmenter seg = SpeechSegmenter.builder(rate).build();
        List<SpeechSegment> found = new ArrayList<>();
        long n = seg.run(AudioSource.of(scene.clean(), rate), found::add);
        assertEquals(scene.clean().length, n);
        assertEquals(1, found.size());
        assertThrows(IllegalArgumentException.class,
                () -> seg.run(AudioSource.of(new float[10], 8000), found::add));
    }

    @Test
    void customDetectorSpansItsSpeechFrames() {
        // a trivial detector: speech where the frame's first sample is positive
        SpeechSegmenter seg = SpeechSegmenter.builder(1000).vad(rate -> new io.github.ser4j.api.vad.VoiceActivityDetector() {
            @Override
            public int sampleRate() {
                return rate;
            }

            @Override
            public int frameSize() {
                return 10;
            }

            @Override
            public boolean isSpeech(float[] samples, int offset) {
                return samples[offset] > 0;
            }

            @Override
            public void reset() {
            }
        }).silenceStopSeconds(Double.POSITIVE_INFINITY).build();
        float[] x = new float[100];
        for (int i = 30; i < 60; i++) {
            x[i] = 1;
        }
        List<SpeechSegment> found = seg.segmentAll(x);
        assertEquals(List.of(new SpeechSegment(30, 60, 1000)), found);
    }

    @Test
    void rejectsBadArguments() {
        SpeechSegmenter seg = SpeechSegmenter.builder(16000).build();
        assertThrows(IllegalArgumentException.class, () -> seg.process(new float[10], 5, 6, s -> { }));
        assertThrows(IllegalArgumentException.class, () -> SpeechSegmenter.builder(0));
        assertThrows(IllegalArgumentException.class, () -> SpeechSegmenter.builder(16000).silenceStopSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> SpeechSegmenter.builder(16000).minSegmentSeconds(-1));
        assertThrows(IllegalArgumentException.class, () -> new SpeechSegment(10, 10, 16000));
    }

    private static String describe(List<SpeechSegment> segs) {
        StringBuilder sb = new StringBuilder("[");
        for (SpeechSegment s : segs) {
            sb.append(String.format(Locale.ROOT, " %.3f-%.3f", s.startSeconds(), s.endSeconds()));
        }
        return sb.append(" ]").toString();
    }
}
