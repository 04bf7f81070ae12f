package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.spectral.Dct;
import io.github.ser4j.dsp.spectral.DctNorm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast kernels against their direct definitions. */
class KernelMathTest {

    @ParameterizedTest(name = "n={0} nOut={1}")
    @CsvSource({"8,8", "13,13", "16,5", "40,13", "64,40", "64,64", "128,20", "80,40", "1,1"})
    void dctKernelMatchesTheDirectSum(int n, int nOut) {
        Random random = new Random(n * 100L + nOut);
        for (DctNorm norm : DctNorm.values()) {
            double[][] basis = Dct.basis(n, nOut, norm);
            DctKernel kernel = new DctKernel(n, nOut, norm);
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * 30 - 50);
            }
            float[] out = new float[nOut];
            kernel.apply(x, 3, out);
            for (int k = 0; k < nOut; k++) {
                double direct = 0;
                double scale = 0;
                for (int i = 0; i < n; i++) {
                    direct += basis[k][i] * x[3 + i];
                    scale += Math.abs(basis[k][i] * x[3 + i]);
                }
                // double-precision evaluation orders differ: agreement to ~1e-15 of the term sizes, then float
                assertEquals(direct, out[k], 1e-13 * scale + Math.ulp((float) direct), "k=" + k + " " + norm);
            }
        }
    }

    @Test
    void log10fRoundsLikeTheExactLogarithm() {
        Random random = new Random(5);
        int mismatches = 0;
        int count = 2_000_000;
        for (int i = 0; i < count; i++) {
            // positive normal floats over the whole exponent range, plus values near 1 and powers of two
            float x = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(0x00800000 + random.nextInt(0x7f000000 - 0x00800000));
                case 1 -> 1f + (float) random.nextGaussian() * 1e-3f;
                case 2 -> Math.scalb(1f, random.nextInt(250) - 125);
                default -> (float) Math.exp(random.nextGaussian() * 20);
            };
            if (!(x > 0) || Float.isInfinite(x)) {
                continue;
            }
            float fast = NumpyMath.log10f(x);
            float exact = (float) Math.log10(x);
            if (fast != exact) {
                mismatches++;
                assertTrue(Math.abs(fast - exact) <= Math.ulp(exact) + 1e-15f, x + ": " + fast + " vs " + exact);
            }
        }
        assertEquals(0f, NumpyMath.log10f(1f));
        assertEquals(-10f, NumpyMath.log10f(1e-10f), 1e-6f);
        assertEquals(Float.NEGATIVE_INFINITY, NumpyMath.log10f(0f));
        assertTrue(mismatches < count / 100_000, mismatches + " of " + count + " differ by one ulp");
    }

    @Test
    void pairwiseSumMatchesNumpysRecursionOnAKnownCase() {
        // 1e8 followed by ones: a sequential float sum loses every 1 (1e8 + 1 == 1e8 in float); numpy's pairwise
        // sum (blocks of 8 partial sums, halves above 128 values) keeps the sums of the ones that were summed together
        float[] a = new float[256];
        java.util.Arrays.fill(a, 1f);
        a[0] = 1e8f;
        float sequential = 0;
        for (float v : a) {
            sequential += v;
        }
        assertEquals(1e8f, sequential);
        // first half: r0 = 1e8 + 15 ones (lost), r1..r7 = 16 each -> 1e8 + 112; second half: exactly 128
        assertEquals(1e8f + 112f + 128f, NumpyMath.pairwiseSum(a, 0, 256, 1));
    }
}
