package io.github.ser4j.dsp.prosody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Independent truths (signals of known F0, spectra and voicing) and contracts of Yin and Functionals. */
class FunctionalsTest {
    private static final int SR = 16000;
    private static final List<String> NAMES = Functionals.names();

    private static double get(double[] v, String name) {
        int i = NAMES.indexOf(name);
        assertTrue(i >= 0, name);
        return v[i];
    }

    private static double cents(double f, double ref) {
        return 1200 * Math.log(f / ref) / Math.log(2);
    }

    static float[] tone(double f0, double seconds, double amp, int harmonics) {
        float[] y = new float[(int) Math.round(seconds * SR)];
        for (int i = 0; i < y.length; i++) {
            double v = 0;
            for (int h = 1; h <= harmonics; h++) {
                v += amp / h * Math.sin(2 * Math.PI * h * f0 * i / SR + h);
            }
            y[i] = (float) v;
        }
        return y;
    }

    /**
     * YIN on a pure tone or a harmonic complex gives its F0 within 2 cents on every frame away from the edges, up to
     * 495 and 499 Hz, lags 32.3 and 32.06 next to tau_min = 32 (the reference once could not pick lag 32).
     */
    @Test
    void tonesOfKnownF0() {
        Yin yin = Yin.defaults();
        for (double f0 : new double[] {65, 98.5, 110, 150.5, 220, 333.3, 440, 470, 495, 499}) {
            for (int harmonics : new int[] {1, 8}) {
                float[] y = tone(f0, 0.6, 0.3, harmonics);
                Yin.Track t = yin.analyze(y);
                for (int i = 4; i < t.frameCount() - 4; i++) {
                    assertEquals(0, cents(t.f0()[i], f0), 2.0, f0 + " Hz x" + harmonics + ", frame " + i);
                    assertTrue(t.aperiodicity()[i] < 0.05, f0 + " Hz: aperiodicity " + t.aperiodicity()[i]);
                }
                double[] v = Functionals.create().computeDouble(y);
                assertEquals(0, cents(27.5 * Math.pow(2, get(v, "f0_st_p50") / 12), f0), 2.0, f0 + " Hz median");
                assertTrue(get(v, "voiced_fraction") > 0.9, f0 + " Hz voiced " + get(v, "voiced_fraction"));
                assertEquals(1.0, get(v, "speech_fraction"), 1e-12);
                assertEquals(1 / 0.6, get(v, "voiced_runs_per_s"), 1e-9);
                // a steady tone: (almost) no spread, jitter or glide. The frames whose YIN window holds the clip's
                // edge move by up to ~0.3 st, and can even pick the octave below: 150.5 Hz x 8, frame 1 (80 zeros,
                // then the tone) gives 75.3 Hz, as the reference does; hence percentiles, and jitter up to 0.05
                assertTrue(get(v, "f0_st_p90") - get(v, "f0_st_p10") < 0.1, "F0 p10-p90 " + get(v, "f0_st_p10")
                        + ".." + get(v, "f0_st_p90") + " st");
                double jitterLimit = f0 == 150.5 && harmonics == 8 ? 0.05 : 1e-3;
                assertTrue(get(v, "f0_jitter") < jitterLimit, "jitter " + get(v, "f0_jitter"));
                assertTrue(get(v, "f0_st_std") < (jitterLimit > 1e-3 ? 2 : 0.1), "F0 std " + get(v, "f0_st_std"));
            }
        }
    }

    /** An exponential glide 120 -> 240 Hz: every interior frame within 10 cents of the F0 at its centre. */
    @Test
    void glideIsTracked() {
        int n = SR;
        float[] y = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = 120 * Math.pow(2, i / (double) n);
            phase += 2 * Math.PI * f / SR;
            y[i] = (float) (0.3 * Math.sin(phase) + 0.15 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase));
        }
        Yin.Track t = Yin.defaults().analyze(y);
        for (int i = 3; i < t.frameCount() - 3; i++) {
            // YIN's window starts 240 samples before the hop (centred on it) and spans 480 + lag samples
            double centre = i * 160 + 1 / (2 * t.f0()[i]) * SR;
            double f = 120 * Math.pow(2, centre / n);
            assertEquals(0, cents(t.f0()[i], f), 10.0, "frame " + i);
        }
        double[] v = Functionals.create().computeDouble(y);
        // one octave per second = 12 st / 100 frames
        assertEquals(0.12, get(v, "f0_slope_rise"), 0.01);
        assertEquals(0.0, get(v, "f0_slope_fall"), 0.0);
        assertEquals(12 / Math.sqrt(12), get(v, "f0_st_std"), 0.3);  // uniform over 12 st
    }

    /**
     * A tone between stretches of digital silence: speech and voicing cover the tone only, give or take the frames
     * that see its edges; silence is aperiodic, so one voiced run and no spurious F0 (the reference once voiced the
     * first speech frame at sr / 33 Hz).
     */
    @Test
    void silencePaddingIsNeitherSpeechNorVoiced() {
        float[] core = tone(180, 0.5, 0.4, 6);
        float[] y = new float[core.length + 2 * 8000];
        System.arraycopy(core, 0, y, 8000, core.length);
        double[] v = Functionals.create().computeDouble(y);
        int frames = 1 + y.length / 160;
        double toneFraction = core.length / 160.0 / frames;
        // the 512-sample frames see the tone 256 samples early and late: about 3 more frames
        assertEquals(toneFraction, get(v, "speech_fraction"), 4.0 / frames);
        assertEquals(toneFraction, get(v, "voiced_fraction"), 4.0 / frames);
        assertEquals(1 / 1.5, get(v, "voiced_runs_per_s"), 1e-9);
        for (String s : new String[] {"p10", "p50", "p90"}) {
            assertEquals(0, cents(27.5 * Math.pow(2, get(v, "f0_st_" + s) / 12), 180), 2.0, s);
        }
        // no 485 Hz outlier: the F0 spread stays a rounding-level 0.05 st
        assertTrue(get(v, "f0_st_std") < 0.05, "F0 std " + get(v, "f0_st_std") + " st");
        assertTrue(get(v, "f0_jitter") < 1e-3, "jitter " + get(v, "f0_jitter"));
    }

    /** White noise, and silence with a little noise, are not voiced: all F0 statistics are 0. */
    @Test
    void noiseIsUnvoiced() {
        Random rnd = new Random(4);
        for (double sigma : new double[] {0.3, 1e-4}) {
            float[] y = new float[12000];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (sigma * rnd.nextGaussian());
            }
            double[] v = Functionals.create().computeDouble(y);
            assertEquals(0.0, get(v, "voiced_fraction"), "sigma " + sigma);
            assertEquals(0.0, get(v, "voiced_runs_per_s"));
            for (String s : new String[] {"mean", "std", "p10", "p50", "p90", "mad"}) {
                assertEquals(0.0, get(v, "f0_st_" + s));
                assertEquals(0.0, get(v, "aperiodicity_" + s));
            }
            assertEquals(1.0, get(v, "speech_fraction"), 1e-12);
            // white: flat spectrum, centroid near 4 kHz, rolloff near 0.85 * 8 kHz
            assertEquals(4000, get(v, "centroid_mean"), 150);
            assertEquals(6800, get(v, "rolloff85_p50"), 150);
            assertTrue(get(v, "log_flatness_mean") > -0.7, "flatness " + get(v, "log_flatness_mean"));
        }
    }

    /**
     * Digital silence: every frame is as loud as the loudest, so all are "speech", but YIN's difference function is 0
     * everywhere, hence aperiodic (d' = 1): nothing is voiced and every F0 statistic is 0.
     */
    @Test
    void digitalSilenceIsUnvoiced() {
        double[] v = Functionals.create().computeDouble(new float[8000]);
        assertEquals(0.0, get(v, "voiced_fraction"));
        assertEquals(0.0, get(v, "voiced_runs_per_s"));
        assertEquals(1.0, get(v, "speech_fraction"));
        for (String s : new String[] {"mean", "std", "p10", "p50", "p90", "mad"}) {
            assertEquals(0.0, get(v, "f0_st_" + s));
            assertEquals(0.0, get(v, "aperiodicity_" + s));
        }
        assertEquals(-100.0, get(v, "energy_db_mean"), 1e-12);
        Yin.Track t = Yin.defaults().analyze(new float[8000]);
        for (int i = 0; i < t.frameCount(); i++) {
            assertEquals(1.0, t.aperiodicity()[i], "frame " + i);
        }
    }

    /** Spectral descriptors of pure tones: centroid and rolloff at the tone, alpha ratio and Hammarberg signs. */
    @Test
    void spectralShapeOfTones() {
        double[] low = Functionals.create().computeDouble(tone(500, 0.5, 0.5, 1));
        assertEquals(500, get(low, "centroid_p50"), 5);
        assertEquals(500, get(low, "rolloff85_p50"), 31.25);
        assertTrue(get(low, "alpha_ratio_p50") < -40, "alpha " + get(low, "alpha_ratio_p50"));
        assertTrue(get(low, "hammarberg_p50") > 40, "hammarberg " + get(low, "hammarberg_p50"));
        double[] high = Functionals.create().computeDouble(tone(3000, 0.5, 0.5, 1));
        assertEquals(3000, get(high, "centroid_p50"), 5);
        assertTrue(get(high, "alpha_ratio_p50") > 40, "alpha " + get(high, "alpha_ratio_p50"));
        assertTrue(get(high, "hammarberg_p50") < -40, "hammarberg " + get(high, "hammarberg_p50"));
        // steady: no flux inside the tone
        assertTrue(get(low, "flux_p50") < 1e-6, "flux " + get(low, "flux_p50"));
        // energy of a full-scale sine in a frame: sum |X|^2 over bins 0..256 = (1/2)(N sum w^2)/2 per side ~ 37.5 dB
        double w2 = 0;
        double[] w = io.github.ser4j.dsp.spectral.Window.hann().values(400);
        for (double x : w) {
            w2 += x * x;
        }
        assertEquals(10 * Math.log10(512 * w2 / 4), get(low, "energy_db_p50"), 0.05);
    }

    @Test
    void gainDoesNotMatter() {
        float[] y = tone(210, 0.4, 0.2, 5);
        float[] quarter = new float[y.length];
        float[] scaled = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            quarter[i] = y[i] * 0.25f;  // exact in float
            scaled[i] = y[i] * 3.7f;
        }
        double[] a = Functionals.create().computeDouble(y);
        assertArrayEquals(a, Functionals.create().computeDouble(quarter));
        // 3.7 y rounds every sample to float: noise ~150 dB down, which moves only the descriptors that see the
        // 1e-10 power floors (log flatness: 8e-5 relative)
        double[] b = Functionals.create().computeDouble(scaled);
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-3 * (1 + Math.abs(a[k])), NAMES.get(k));
        }
    }

    @Test
    void shortAndOddLengths() {
        for (int n : new int[] {1, 2, 159, 160, 161, 300, 747, 1001}) {
            float[] y = tone(200, n / (double) SR, 0.5, 3);
            y[0] = 0.5f;
            double[] v = Functionals.create().computeDouble(y);
            assertEquals(Functionals.SIZE, v.length);
            for (double x : v) {
                assertTrue(Double.isFinite(x), n + " samples: " + java.util.Arrays.toString(v));
            }
            assertEquals(1 + n / 160, Yin.defaults().analyze(y).frameCount());
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Functionals.create().compute(new float[0]));
        float[] nan = new float[1000];
        nan[10] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> Functionals.create().compute(nan));
        assertThrows(IllegalArgumentException.class, () -> Yin.defaults().analyze(nan));
        assertThrows(NullPointerException.class, () -> Functionals.create().compute(null));
        assertThrows(IllegalArgumentException.class, () -> Yin.builder().f0Min(300).f0Max(200).build());
        assertThrows(IllegalArgumentException.class, () -> Yin.builder().f0Min(-1));
        assertThrows(IllegalArgumentException.class, () -> Yin.builder().hopLength(0));
        assertThrows(IllegalArgumentException.class, () -> Yin.builder().sr(16000).f0Max(20000).build());
    }

    @Test
    void yinParameters() {
        Yin yin = Yin.defaults();
        assertEquals(32, yin.tauMin());
        assertEquals(267, yin.tauMax());
        assertEquals(747, yin.frameLength());
        assertEquals(yin, yin.toBuilder().build());
        Yin other = Yin.builder().sr(8000).hopLength(80).f0Min(80).f0Max(400).yinWin(240).yinThreshold(0.15).build();
        assertEquals(20, other.tauMin());
        assertEquals(100, other.tauMax());
        // at 8 kHz, a 200 Hz tone
        float[] y = new float[4000];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.sin(2 * Math.PI * 200 * i / 8000.0);
        }
        Yin.Track t = other.analyze(y);
        assertEquals(0, cents(t.f0()[t.frameCount() / 2], 200), 2.0);
    }

    /** Memory per call is O(frames) with a small constant: nothing is allocated per frame beyond the results. */
    @Test
    void allocatesAboutTwoHundredBytesPerFrame() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Functionals f = Functionals.create();
        float[] shortClip = tone(150, 1.0, 0.3, 4);
        float[] longClip = tone(150, 5.0, 0.3, 4);
        for (int i = 0; i < 3; i++) {
            f.computeDouble(shortClip);
            f.computeDouble(longClip);
        }
        long tid = Thread.currentThread().getId();
        long a = bean.getThreadAllocatedBytes(tid);
        f.computeDouble(shortClip);
        long b = bean.getThreadAllocatedBytes(tid);
        f.computeDouble(longClip);
        long c = bean.getThreadAllocatedBytes(tid);
        double perFrame = ((c - b) - (b - a)) / 400.0;
        // 20 descriptors + F0 + aperiodicity + selection buffers: ~200 bytes; a per-frame FFT buffer alone is 4 KB
        assertTrue(perFrame < 256, perFrame + " bytes per frame");
        assertTrue(b - a < 200_000, (b - a) + " bytes for 1 s");
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        float[] y = tone(170, 1.0, 0.3, 6);
        double[] want = Functionals.create().computeDouble(y);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<double[]> a = pool.submit(() -> Functionals.create().computeDouble(y));
            Future<double[]> b = pool.submit(() -> Functionals.create().computeDouble(y));
            assertArrayEquals(want, a.get());
            assertArrayEquals(want, b.get());
        } finally {
            pool.shutdown();
        }
    }
}
