package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.fft.RealFft;
import io.github.ser4j.dsp.spectral.Dct;
import io.github.ser4j.dsp.spectral.DctNorm;

/**
 * Type-II DCT of one column in double precision. Power-of-two lengths use Makhoul's algorithm (one real FFT of the
 * reordered input and a twiddle per coefficient); other lengths a matrix product halved by the basis symmetry
 * {@code C[k][n-1-i] = (-1)^k C[k][i]}. Not thread-safe (scratch buffers). Not API.
 */
public final class DctKernel {
    private final int n;
    private final int nOut;
    // matrix path
    private final int half;
    private final double[] folded;
    private final double[] sum;
    private final double[] diff;
    // FFT path
    private final RealFft fft;
    /** The same transform without its bit reversal pass, for the sizes it serves (else null). */
    private final PowerFft direct;
    private final double[] binRe;
    private final double[] binIm;
    private final double[] v;
    private final double[] twRe;
    private final double[] twIm;

    /** The immutable tables of one (n, nOut, norm): build once, share between threads. */
    public static final class Plan {
        final int n;
        final int nOut;
        final double[] folded;
        final double[] twRe;
        final double[] twIm;

        /**
         * @param n    input length
         * @param nOut number of coefficients
         * @param norm normalisation
         */
        public Plan(int n, int nOut, DctNorm norm) {
            this.n = n;
            this.nOut = nOut;
            if (n >= 8 && (n & (n - 1)) == 0) {
                Dct.basis(n, nOut, norm); // validates the arguments
                twRe = new double[nOut];
                twIm = new double[nOut];
                for (int k = 0; k < nOut; k++) {
                    // y[k] = 2 * scale_k * Re(exp(-i pi k / (2n)) * V[k]), V the FFT of the reordered input
                    double scale = norm == DctNorm.NONE ? 1.0 : (k == 0 ? Math.sqrt(1.0 / (4.0 * n))
                            : Math.sqrt(1.0 / (2.0 * n)));
                    double angle = Math.PI * k / (2.0 * n);
                    twRe[k] = 2 * scale * Math.cos(angle);
                    twIm[k] = 2 * scale * Math.sin(angle);
                }
                folded = null;
            } else {
                double[][] basis = Dct.basis(n, nOut, norm);
                int half = (n + 1) / 2;
                folded = new double[nOut * half];
                for (int k = 0; k < nOut; k++) {
                    System.arraycopy(basis[k], 0, folded, k * half, half);
                }
                twRe = twIm = null;
            }
        }
    }

    /**
     * @param n    input length
     * @param nOut number of coefficients
     * @param norm normalisation
     */
    public DctKernel(int n, int nOut, DctNorm norm) {
        this(new Plan(n, nOut, norm));
    }

    /** @param plan shared tables */
    public DctKernel(Plan plan) {
        this.n = plan.n;
        this.nOut = plan.nOut;
        this.half = (n + 1) / 2;
        this.folded = plan.folded;
        this.twRe = plan.twRe;
        this.twIm = plan.twIm;
        if (twRe != null) {
            direct = PowerFft.of(n);
            fft = direct == null ? new RealFft(n) : null;
            binRe = direct == null ? null : new double[n / 2 + 1];
            binIm = direct == null ? null : new double[n / 2 + 1];
            v = new double[n];
            sum = diff = null;
        } else {
            fft = null;
            direct = null;
            binRe = binIm = null;
            v = null;
            sum = new double[half];
            diff = new double[half];
        }
    }

    /**
     * @param x      input, {@code n} values from {@code offset}
     * @param offset first input value
     * @param out    receives {@code nOut} coefficients
     */
    public void apply(float[] x, int offset, float[] out) {
        if (direct != null) {
            applyDirect(x, offset, out);
            return;
        }
        if (fft != null) {
            applyFft(x, offset, out);
            return;
        }
        for (int i = 0; i < n / 2; i++) {
            double a = x[offset + i];
            double b = x[offset + n - 1 - i];
            sum[i] = a + b;
            diff[i] = a - b;
        }
        if (n % 2 == 1) {
            sum[half - 1] = x[offset + half - 1];
            diff[half - 1] = 0;
        }
        for (int k = 0; k < nOut; k++) {
            out[k] = (float) dot(folded, k * half, (k & 1) == 0 ? sum : diff, half);
        }
    }

    /** {@link #applyFft} with the bins of {@link PowerFft#forward}: the same values, one pass fewer. */
    private void applyDirect(float[] x, int offset, float[] out) {
        int h = n / 2;
        for (int i = 0; i < h; i++) {
            v[i] = x[offset + 2 * i];
            v[n - 1 - i] = x[offset + 2 * i + 1];
        }
        direct.forward(v, binRe, binIm);
        int upper = Math.min(nOut, h + 1);
        for (int k = 0; k < upper; k++) {
            out[k] = (float) (twRe[k] * binRe[k] + twIm[k] * binIm[k]);
        }
        for (int k = upper; k < nOut; k++) {
            // V[k] = conj(V[n - k]) for real input
            out[k] = (float) (twRe[k] * binRe[n - k] + twIm[k] * -binIm[n - k]);
        }
    }

    private void applyFft(float[] x, int offset, float[] out) {
        int h = n / 2;
        for (int i = 0; i < h; i++) {
            v[i] = x[offset + 2 * i];
            v[n - 1 - i] = x[offset + 2 * i + 1];
        }
        fft.forwardPacked(v);
        for (int k = 0; k < nOut; k++) {
            double re;
            double im;
            if (k == 0) {
                re = v[0];
                im = 0;
            } else if (k == h) {
                re = v[1];
                im = 0;
            } else if (k < h) {
                re = v[2 * k];
                im = v[2 * k + 1];
            } else {
                // V[k] = conj(V[n - k]) for real input
                re = v[2 * (n - k)];
                im = -v[2 * (n - k) + 1];
            }
            out[k] = (float) (twRe[k] * re + twIm[k] * im);
        }
    }

    private static double dot(double[] a, int offset, double[] b, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += a[offset + i] * b[i];
            s1 += a[offset + i + 1] * b[i + 1];
            s2 += a[offset + i + 2] * b[i + 2];
            s3 += a[offset + i + 3] * b[i + 3];
        }
        for (; i < len; i++) {
            s0 += a[offset + i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
