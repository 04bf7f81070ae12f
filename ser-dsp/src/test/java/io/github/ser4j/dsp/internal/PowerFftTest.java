package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.fft.RealFft;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The fused transform and power against RealFft's packed transform: the double power rounded once. */
class PowerFftTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {64, 128, 256, 512})
    void powerIsTheSquaredNormOfTheBins(int n) {
        PowerFft fused = PowerFft.of(n);
        assertNotNull(fused);
        RealFft fft = new RealFft(n);
        Random random = new Random(n);
        float[] out = new float[n / 2 + 1];
        for (int round = 0; round < 50; round++) {
            double[] x = new double[n];
            double scale = Math.pow(10, random.nextInt(12) - 6);
            for (int i = 0; i < n; i++) {
                x[i] = round == 0 ? 0 : random.nextGaussian() * scale;
            }
            double[] packed = x.clone();
            fft.forwardPacked(packed);
            fused.power(x.clone(), out);
            for (int k = 0; k <= n / 2; k++) {
                double re;
                double im;
                if (k == 0) {
                    re = packed[0];
                    im = 0;
                } else if (k == n / 2) {
                    re = packed[1];
                    im = 0;
                } else {
                    re = packed[2 * k];
                    im = packed[2 * k + 1];
                }
                float expected = (float) (re * re + im * im);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[k]),
                        "n=" + n + " round " + round + " bin " + k + ": " + expected + " vs " + out[k]);
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {64, 128, 256, 512})
    void binsAreRealFftsBitForBit(int n) {
        PowerFft fused = PowerFft.of(n);
        RealFft fft = new RealFft(n);
        Random random = new Random(-n);
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        double[] expectedRe = new double[n / 2 + 1];
        double[] expectedIm = new double[n / 2 + 1];
        for (int round = 0; round < 20; round++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextGaussian() * 100;
            }
            fft.forward(x, expectedRe, expectedIm);
            fused.forward(x.clone(), re, im);
            for (int k = 0; k <= n / 2; k++) {
                assertEquals(expectedRe[k], re[k], 0.0, "re, bin " + k);
                assertEquals(expectedIm[k], im[k], 0.0, "im, bin " + k);
            }
        }
    }
}
