package io.github.ser4j.dsp.signal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Resampler#resampleRange} (crop in the source rate, then resample) against the truth it stands for: resample
 * the whole signal, then crop. The filter reads the same inputs either way; only the FFT blocks of an integer
 * decimation sit at other positions, so sums of the same products are grouped differently in double: the bound is 2
 * float32 ulps of the signal's peak (the double sums differ by ~1e-16, so after rounding to float32 all 240,001 to
 * 330,751 samples per pair came out identical when this test was written).
 */
class ResamplerRangeTest {

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100,16000", "48000,16000", "22050,16000", "8000,16000", "16000,22050", "96000,16000",
            "44101,16000", "16000,16000"})
    void windowEqualsResampleThenCrop(int orig, int target) {
        Random rnd = new Random(orig + 7L * target);
        float[] y = new float[4 * orig + rnd.nextInt(1000)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (0.4 * rnd.nextGaussian());
        }
        int length = y.length - 500; // the rest of the array is not part of the signal
        Resampler r = Resampler.of(orig, target);
        float[] whole = r.resample(Arrays.copyOf(y, length));
        float peak = 0;
        for (float v : whole) {
            peak = Math.max(peak, Math.abs(v));
        }
        double tolerance = 2 * Math.ulp(peak);
        int window = 3 * target;
        long[] starts = {0, (whole.length - window) / 2, whole.length - window, 1, 12345, whole.length - 1};
        int identical = 0;
        int total = 0;
        double worst = 0;
        for (long from : starts) {
            int count = (int) Math.min(window, whole.length - from);
            float[] ours = r.resampleRange(y, length, from, count);
            assertEquals(count, ours.length);
            for (int k = 0; k < count; k++) {
                double d = Math.abs(ours[k] - whole[(int) from + k]);
                worst = Math.max(worst, d);
                identical += d == 0 ? 1 : 0;
                total++;
            }
        }
        System.out.printf("range %6d -> %6d Hz: max |window - crop| %.2e (%.2f ulps of the peak), %d / %d identical%n",
                orig, target, worst, worst / Math.ulp(peak), identical, total);
        assertTrue(worst <= tolerance, "max |resampleRange - crop| " + worst + ", bound " + tolerance);
    }

    @Test
    void endOfSignalKeepsLibrosasZeroPad() {
        float[] y = new float[100];
        Arrays.fill(y, 0.5f);
        float[] whole = Resampler.resample(y, 44100, 16000); // 37 samples, the last one librosa's zero pad
        float[] tail = Resampler.of(44100, 16000).resampleRange(y, 100, 30, 7);
        assertArrayEquals(Arrays.copyOfRange(whole, 30, 37), tail);
        assertEquals(0f, tail[6]);
    }

    @Test
    void rejectsWindowsOutsideTheSignal() {
        Resampler r = Resampler.of(48000, 16000);
        float[] y = new float[4800];
        assertThrows(IllegalArgumentException.class, () -> r.resampleRange(y, 4800, 1500, 101));
        assertThrows(IllegalArgumentException.class, () -> r.resampleRange(y, 4800, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> r.resampleRange(y, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> r.resampleRange(y, 4801, 0, 10));
        y[4000] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> r.resampleRange(y, 4800, 1000, 500));
        assertEquals(0, r.resampleRange(y, 4800, 10, 0).length);
    }
}
