package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;

import java.util.Objects;

/**
 * Type-II discrete cosine transform along the rows (librosa's {@code axis=-2}), as
 * {@code scipy.fft.dct(S, type=2, norm=norm, axis=-2)[:n_out]}, evaluated in double precision and rounded to float.
 *
 * <p>Thread-safety: stateless.
 */
public final class Dct {
    private Dct() {
    }

    /**
     * The DCT-II basis: {@code out[k] = sum_n basis[k][n] * x[n]}.
     *
     * @param n    input length
     * @param nOut number of coefficients kept, {@code 1 .. n}
     * @param norm normalisation
     * @return {@code nOut x n} matrix
     * @throws IllegalArgumentException if {@code nOut} is not in {@code 1 .. n}
     */
    public static double[][] basis(int n, int nOut, DctNorm norm) {
        Checks.atLeast(n, 1, "n");
        if (nOut < 1 || nOut > n) {
            throw new IllegalArgumentException("number of DCT coefficients " + nOut + " must be in [1, " + n + "]");
        }
        Objects.requireNonNull(norm, "norm");
        double[][] basis = new double[nOut][n];
        long period = 4L * n;
        for (int k = 0; k < nOut; k++) {
            double scale = norm == DctNorm.NONE ? 2.0 : (k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n));
            for (int i = 0; i < n; i++) {
                // cos(pi k (2i + 1) / (2n)) with the integer part of the angle reduced modulo 2 pi
                long r = ((long) k * (2L * i + 1)) % period;
                basis[k][i] = scale * Math.cos(Math.PI * r / (2.0 * n));
            }
        }
        return basis;
    }

    /**
     * @param s    input, {@code n x frames}; not modified
     * @param nOut number of coefficients kept
     * @param norm normalisation
     * @return {@code nOut x frames}
     * @throws IllegalArgumentException if the input is not a finite rectangular matrix or nOut is out of range
     */
    public static float[][] dct2(float[][] s, int nOut, DctNorm norm) {
        int cols = Checks.matrix(s, -1, "S");
        double[][] basis = basis(s.length, nOut, norm);
        float[][] out = new float[nOut][cols];
        for (int t = 0; t < cols; t++) {
            for (int k = 0; k < nOut; k++) {
                double sum = 0;
                double[] b = basis[k];
                for (int i = 0; i < s.length; i++) {
                    sum += b[i] * s[i][t];
                }
                out[k][t] = (float) sum;
            }
        }
        return out;
    }
}
