package io.github.ser4j.dsp.signal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Down-mix and pre-emphasis against librosa goldens; normalisation against hand-computed values. */
class SignalsTest {

    @Test
    void preemphasisMatchesLibrosaExactly() {
        for (String[] r : SignalsTestData.index("preemphasis")) {
            String name = r[0];
            double coef = Double.parseDouble(r[1]);
            float zf = Float.parseFloat(r[3]);
            float[] y = SignalsTestData.floats(r[5]);
            float[] expected = SignalsTestData.floats(r[6]);
            float[] copy = y.clone();
            float[] out;
            float gotZf;
            if (name.equals("chunked400")) {
                // librosa: preemphasis(y[:400], return_zf=True), then preemphasis(y[400:], zi=zf, return_zf=True)
                out = new float[y.length];
                float zi = Signals.preemphasisZi(y, 0, 400);
                float mid = Signals.preemphasis(y, 0, 400, coef, zi, out, 0);
                gotZf = Signals.preemphasis(y, 400, y.length - 400, coef, mid, out, 400);
            } else if (r[2].equals("none")) {
                out = coef == Signals.DEFAULT_PREEMPHASIS_COEF ? Signals.preemphasis(y) : Signals.preemphasis(y, coef);
                gotZf = Signals.preemphasis(y, 0, y.length, coef, Signals.preemphasisZi(y, 0, y.length),
                        new float[y.length], 0);
            } else {
                double zi = Double.parseDouble(r[2]);
                out = Signals.preemphasis(y, coef, zi);
                gotZf = Signals.preemphasis(y, 0, y.length, coef, zi, new float[y.length], 0);
            }
            assertArrayEquals(expected, out, 0f, name); // bit-exact: same float32 operations as scipy's lfilter
            assertEquals(zf, gotZf, 0f, name + " zf");
            assertArrayEquals(copy, y, "input untouched");
        }
    }

    @Test
    void preemphasisInPlaceAndBadInput() {
        float[] y = {0.5f, 0.25f, -0.125f};
        float[] inPlace = y.clone();
        float zf = Signals.preemphasis(inPlace, 0, 3, 0.5, 0.1, inPlace, 0);
        // by hand: y0 + zi, y1 - 0.5 y0, y2 - 0.5 y1; zf = -0.5 * y2
        assertArrayEquals(new float[]{0.6f, 0f, -0.25f}, inPlace, 1e-7f);
        assertEquals(0.0625f, zf, 0f);
        assertThrows(IllegalArgumentException.class, () -> Signals.preemphasis(new float[]{1f}));
        assertThrows(IllegalArgumentException.class, () -> Signals.preemphasis(new float[0], 0.97, 0));
        assertThrows(IllegalArgumentException.class, () -> Signals.preemphasis(new float[]{1f, Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Signals.preemphasis(y, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Signals.preemphasis(y, 0.97, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> Signals.preemphasis(y, 1, 3, 0.97, 0, new float[3], 0));
        assertThrows(IllegalArgumentException.class,
                () -> Signals.preemphasis(y, 0, 3, 0.97, 0, new float[2], 0));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Signals.preemphasis(new float[]{0.5f}, 0.97));
        assertTrue(one.getMessage().contains("zi"), one.getMessage());
        assertArrayEquals(new float[]{0.5f + 0.1f}, Signals.preemphasis(new float[]{0.5f}, 0.97, 0.1), 0f);
    }

    @Test
    void toMonoMatchesLibrosa() {
        for (String[] r : SignalsTestData.index("to_mono")) {
            int channels = Integer.parseInt(r[1]);
            int n = Integer.parseInt(r[2]);
            float[] flat = SignalsTestData.floats(r[3]);
            float[] expected = SignalsTestData.floats(r[4]);
            float[] expectedFortran = SignalsTestData.floats(r[5]);
            float[][] y = new float[channels][n];
            float[] interleaved = new float[channels * n];
            for (int c = 0; c < channels; c++) {
                System.arraycopy(flat, c * n, y[c], 0, n);
                for (int i = 0; i < n; i++) {
                    interleaved[i * channels + c] = flat[c * n + i];
                }
            }
            assertArrayEquals(expected, Signals.toMono(y), 0f, r[0]);
            assertArrayEquals(expectedFortran, Signals.toMono(interleaved, channels), 0f, r[0] + " interleaved");
            float[] out = new float[n + 3];
            Signals.toMono(interleaved, 0, n, channels, out, 3);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 3, n + 3), 0f);
        }
    }

    @Test
    void toMonoBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[][]{{1f, 2f}, {1f}}));
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[][]{{1f, Float.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[][]{{}, {}}));
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[]{1f, 2f, 3f}, 2));
        assertThrows(IllegalArgumentException.class, () -> Signals.toMono(new float[]{1f, 2f}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Signals.toMono(new float[4], 0, 3, 2, new float[3], 0));
        float[] one = {0.25f, -0.5f};
        float[] mono = Signals.toMono(one, 1);
        assertArrayEquals(one, mono);
        assertTrue(mono != one);
        assertArrayEquals(new float[]{0.5f, -0.25f}, Signals.toMono(new float[]{1f, 0f, -0.5f, 0f}, 2), 0f);
    }

    @Test
    void peakNormalisation() {
        float[] y = {0.5f, -0.25f, 0.125f};
        float[] copy = y.clone();
        // peak 0.5 -> 1.0 (0 dBFS): gain 2
        assertArrayEquals(new float[]{1f, -0.5f, 0.25f}, Signals.normalizePeak(y, 0), 0f);
        // -6 dBFS: peak 10^(-6/20) = 0.501187233627...
        assertArrayEquals(new float[]{0.50118723f, -0.25059362f, 0.12529681f}, Signals.normalizePeak(y, -6), 1e-7f);
        assertArrayEquals(copy, y);
        assertEquals(20 * Math.log10(0.5), Signals.peakDbfs(y), 1e-12);
        // silence and near-silence are left alone rather than amplified
        assertArrayEquals(new float[3], Signals.normalizePeak(new float[3], -1), 0f);
        float[] faint = {1e-6f, -1e-6f}; // -120 dBFS, below the default -100 dBFS floor
        assertArrayEquals(faint, Signals.normalizePeak(faint, -1), 0f);
        assertArrayEquals(new float[]{0.5f, -0.5f}, Signals.normalizePeak(faint, 20 * Math.log10(0.5), -130), 1e-7f);
    }

    @Test
    void rmsNormalisation() {
        float[] y = {0.5f, -0.5f, 0.5f, -0.5f}; // RMS 0.5
        // -12 dBFS RMS: every |sample| = 10^(-12/20) = 0.251188643150958
        float[] out = Signals.normalizeRms(y, -12);
        for (int i = 0; i < out.length; i++) {
            assertEquals((i % 2 == 0 ? 1 : -1) * 0.251188643150958, out[i], 1e-7);
        }
        float[] z = {0.3f, 0.4f}; // RMS sqrt((0.09 + 0.16) / 2) = 0.35355339
        assertEquals(20 * Math.log10(Math.sqrt(0.125)), Signals.rmsDbfs(z), 1e-6);
        float[] zn = Signals.normalizeRms(z, -20); // gain 0.1 / 0.35355339 = 0.28284271
        assertArrayEquals(new float[]{0.08485281f, 0.11313708f}, zn, 1e-7f);
        assertArrayEquals(new float[5], Signals.normalizeRms(new float[5], -20), 0f);
        assertEquals(Double.NEGATIVE_INFINITY, Signals.rmsDbfs(new float[5]));
        // peaks may exceed full scale: not limited
        float[] spike = {1f, 0f, 0f, 0f}; // RMS 0.5
        assertEquals(2f, Signals.normalizeRms(spike, 0)[0], 0f);
    }

    @Test
    void normalisationBadInput() {
        List<Runnable> bad = List.of(
                () -> Signals.normalizePeak(new float[0], -1),
                () -> Signals.normalizePeak(new float[]{Float.NaN}, -1),
                () -> Signals.normalizePeak(new float[]{0.1f}, 1), // above 0 dBFS: likely a linear gain by mistake
                () -> Signals.normalizePeak(new float[]{0.1f}, Double.NaN),
                () -> Signals.normalizeRms(new float[]{0.1f}, -20, Double.NEGATIVE_INFINITY),
                () -> Signals.normalizeRms(new float[]{Float.POSITIVE_INFINITY}, -20),
                () -> Signals.rmsDbfs(new float[0]));
        for (Runnable r : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }
}
