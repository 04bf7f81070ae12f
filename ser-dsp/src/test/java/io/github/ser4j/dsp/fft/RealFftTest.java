package io.github.ser4j.dsp.fft;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RealFft against a direct O(n^2) DFT evaluated in extended-precision-free but independent double arithmetic. */
class RealFftTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 30, 100, 255, 256, 400, 512, 1000, 1001, 1024, 2048, 2049})
    void matchesDirectDft(int n) {
        Random random = new Random(n);
        double[] x = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
            norm += Math.abs(x[i]);
        }
        double[] copy = x.clone();
        RealFft fft = new RealFft(n);
        double[] re = new double[fft.binCount()];
        double[] im = new double[fft.binCount()];
        fft.forward(x, re, im);
        assertArrayEquals(copy, x, "input must not be modified");
        double maxErr = 0;
        for (int k = 0; k <= n / 2; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                // exact angle reduction: j*k mod n
                double angle = 2 * Math.PI * (((long) j * k) % n) / n;
                sr += x[j] * Math.cos(angle);
                si -= x[j] * Math.sin(angle);
            }
            maxErr = Math.max(maxErr, Math.hypot(re[k] - sr, im[k] - si));
        }
        // relative to the L1 norm (the largest possible bin magnitude): double-precision round-off only
        assertTrue(maxErr <= 1e-13 * Math.max(norm, 1), "n=" + n + " max error " + maxErr + " vs norm " + norm);
    }

    @Test
    void impulseGivesFlatSpectrumAndSignConventionOfNumpy() {
        // x[1] = 1: X[k] = exp(-2 pi i k / n), so Im X[1] = -sin(2 pi / n) < 0 (numpy's convention)
        for (int n : new int[] {8, 10, 9}) {
            double[] x = new double[n];
            x[1] = 1;
            RealFft fft = new RealFft(n);
            double[] re = new double[fft.binCount()];
            double[] im = new double[fft.binCount()];
            fft.forward(x, re, im);
            assertEquals(Math.cos(2 * Math.PI / n), re[1], 1e-15);
            assertEquals(-Math.sin(2 * Math.PI / n), im[1], 1e-15);
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new RealFft(0));
        RealFft fft = new RealFft(8);
        assertThrows(IllegalArgumentException.class, () -> fft.forward(new double[4], new double[5], new double[5]));
    }
}
