package io.github.ser4j.dsp.vad;

import io.github.ser4j.api.spi.VadProvider;
import io.github.ser4j.api.vad.VoiceActivityDetector;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Noise;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Scene;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyVadTest {

    @Test
    void registeredAsTheEnergyProvider() {
        List<VadProvider> found = new ArrayList<>();
        ServiceLoader.load(VadProvider.class).forEach(found::add);
        VadProvider energy = found.stream().filter(p -> p.name().equals("energy")).findFirst().orElse(null);
        assertNotNull(energy, "no VadProvider named energy among " + found);
        assertEquals(0, energy.priority());
        VoiceActivityDetector d = energy.create(16000);
        assertTrue(d instanceof EnergyVad);
        assertEquals(16000, d.sampleRate());
    }

    @Test
    void tenMillisecondFrames() {
        assertEquals(160, EnergyVad.create(16000).frameSize());
        assertEquals(80, EnergyVad.create(8000).frameSize());
        assertEquals(441, EnergyVad.create(44100).frameSize());
        assertEquals(480, EnergyVad.builder().frameSeconds(0.03).build(16000).frameSize());
        assertEquals(5, EnergyVad.create(16000).bandCount());
        assertEquals(4, EnergyVad.create(8000).bandCount());
        assertEquals(1, EnergyVad.create(1000).bandCount());
    }

    @Test
    void rejectsBadArguments() {
        EnergyVad v = EnergyVad.create(16000);
        assertThrows(IllegalArgumentException.class, () -> v.isSpeech(new float[100], 0));
        assertThrows(IllegalArgumentException.class, () -> v.isSpeech(new float[200], 41));
        assertThrows(IllegalArgumentException.class, () -> v.isSpeech(new float[200], -1));
        assertThrows(IllegalArgumentException.class, () -> EnergyVad.create(999));
        assertThrows(IllegalArgumentException.class, () -> EnergyVad.create(10_000_000));
        assertThrows(IllegalArgumentException.class, () -> EnergyVad.builder().startDb(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> EnergyVad.builder().hangoverSeconds(-1));
        assertThrows(IllegalArgumentException.class, () -> EnergyVad.builder().startDb(2).stopDb(3).build(16000));
        assertThrows(IndexOutOfBoundsException.class, () -> v.noiseLevelDb(5));
    }

    @Test
    void factorySnapshotsTheBuilder() {
        EnergyVad.Builder b = EnergyVad.builder().hangoverSeconds(0.5);
        VoiceActivityDetector.Factory f = b.factory();
        b.hangoverSeconds(0.1);
        assertEquals(50, ((EnergyVad) f.create(16000)).hangoverFrames());
        assertEquals(10, b.build(16000).hangoverFrames());
    }

    @Test
    void digitalSilenceAndQuietHissAreNeverSpeech() {
        EnergyVad v = EnergyVad.create(16000);
        float[] zeros = new float[160 * 500];
        for (int k = 0; k < 500; k++) {
            assertFalse(v.isSpeech(zeros, k * 160));
        }
        // white hiss at -75 dB re full scale, with bursts of hiss at -65 dB: both below the -60 dB minimum level
        double[] w = VadSignalsForTest.white(160 * 500, 3);
        float[] hiss = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            double g = (i / 8000) % 2 == 0 ? 1.8e-4 : 5.6e-4;
            hiss[i] = (float) (g * w[i]);
        }
        for (int k = 0; k < 500; k++) {
            assertFalse(v.isSpeech(hiss, k * 160), "frame " + k);
        }
    }

    @Test
    void resetForgetsEverything() {
        Scene s = VadSignalsForTest.scene(16000, 1.0, new double[] {0.75, 0.5}, new double[] {0.7}, 0.5, 21);
        float[] x = VadSignalsForTest.withNoise(s, Noise.PINK, 10, 22);
        EnergyVad v = EnergyVad.create(16000);
        boolean[] first = decisions(v, x);
        v.reset();
        assertEquals(0, v.framesProcessed());
        assertTrue(Double.isNaN(v.noiseLevelDb(0)));
        assertArrayEquals(first, decisions(v, x));
        assertArrayEquals(first, decisions(EnergyVad.create(16000), x));
    }

    @Test
    void survivesNaNAndInfinity() {
        Scene s = VadSignalsForTest.scene(16000, 1.0, new double[] {0.75}, new double[0], 1.0, 23);
        float[] x = VadSignalsForTest.withNoise(s, Noise.WHITE, 20, 24);
        float[] poisoned = x.clone();
        poisoned[100] = Float.NaN;
        poisoned[5000] = Float.POSITIVE_INFINITY;
        List<SpeechSegment> segs = SpeechSegmenter.builder(16000).build().segmentAll(poisoned);
        assertEquals(1, segs.size(), segs.toString());
        assertEquals(1.0, segs.get(0).startSeconds(), 0.05);
        assertEquals(1.75, segs.get(0).endSeconds(), 0.05);
    }

    @Test
    void recoversWhenTheNoiseFloorJumps() {
        // 3 s of pink noise at -50 dB, then 20 dB louder for 6 s, then a burst; the jump may be taken for speech, but
        // only for about one noise window (3 s), and the burst after it is still found
        int rate = 16000;
        Scene s = VadSignalsForTest.scene(rate, 9.0, new double[] {1.0}, new double[0], 1.0, 25);
        double[] pink = VadSignalsForTest.pink(s.clean().length, 26);
        float[] x = s.clean().clone();
        for (int i = 0; i < x.length; i++) {
            double g = i < 3 * rate ? 0.003 : 0.03;
            x[i] += (float) (g * pink[i]);
        }
        EnergyVad v = EnergyVad.create(rate);
        boolean[] d = decisions(v, x);
        int framesPerSecond = rate / v.frameSize();
        for (int k = (int) (7.5 * framesPerSecond); k < 9 * framesPerSecond; k++) {
            assertFalse(d[k], "still in speech " + (double) k / framesPerSecond + " s after the noise jump at 3 s");
        }
        List<SpeechSegment> segs = SpeechSegmenter.builder(rate).silenceStopSeconds(Double.POSITIVE_INFINITY)
                .build().segmentAll(x);
        SpeechSegment last = segs.get(segs.size() - 1);
        assertEquals(9.0, last.startSeconds(), 0.05, segs.toString());
        assertEquals(10.0, last.endSeconds(), 0.05, segs.toString());
    }

    @Test
    void doesNotAllocatePerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Scene s = VadSignalsForTest.scene(16000, 1.0, new double[] {0.75, 0.5}, new double[] {0.7}, 0.5, 27);
        float[] x = VadSignalsForTest.withNoise(s, Noise.PINK, 10, 28);
        EnergyVad v = EnergyVad.create(16000);
        decisions(v, x); // warm up (JIT)
        v.reset();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int frames = 0;
        for (int rep = 0; rep < 20; rep++) {
            for (int k = 0; (k + 1) * 160 <= x.length; k++) {
                v.isSpeech(x, k * 160);
                frames++;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + frames + " frames");
    }

    private static boolean[] decisions(EnergyVad v, float[] x) {
        boolean[] d = new boolean[x.length / v.frameSize()];
        for (int k = 0; k < d.length; k++) {
            d[k] = v.isSpeech(x, k * v.frameSize());
        }
        return d;
    }
}
