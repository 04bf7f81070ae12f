package io.github.ser4j.dsp.prosody;

import io.github.ser4j.dsp.fft.RealFft;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * YIN's cross term {@code r_t(tau) = sum_{j < yin_win} x_{s_t + j} x_{s_t + j + tau}} ({@code tau = 0..tau_max}) of
 * consecutive frames {@code t}, whose integration windows start at {@code s_t = t * hop + s_0} and are made of
 * {@code yin_win / hop} whole blocks of {@code hop} samples: frame {@code t} holds blocks {@code t .. t + yin_win / hop
 * - 1}, so each block is shared by that many frames and transformed once.
 *
 * <p>Block {@code b} (samples {@code a_b = x[o_b .. o_b + hop)}, {@code o_b = s_0 + b * hop}) contributes
 * {@code c_b(tau) = sum_{j < hop} a_b[j] x[o_b + j + tau]}. With {@code N} points (a power of two of at least
 * {@code hop + tau_max} and of the {@code m} blocks that cover {@code x[o_b .. o_b + hop + tau_max)}), the circular
 * correlation of {@code a_b} with {@code x[o_b .. o_b + m hop)} equals {@code c_b} for every {@code tau <= tau_max}
 * (no index wraps), and the spectrum of that segment is {@code sum_{k < m} A_{b+k} e^{-2 pi i f k hop / N}} from the
 * blocks' own spectra {@code A}. So {@code C_b = S_b conj(A_b)}, {@code R_t = sum_k C_{t+k}} and one inverse transform
 * per frame gives {@code r_t}: one forward and one inverse {@code N}-point transform per hop (512 points for the
 * defaults) instead of three transforms of the whole frame (1024 points). Equal to the per-frame form up to rounding
 * (about 1e-16 of the frame's energy).
 *
 * <p>Immutable and thread-safe; each {@link Cursor} is one signal's state, for one thread.
 */
final class CrossTermBlocks {
    private final int hop;
    private final int blocksPerWindow;
    private final int segmentBlocks;
    private final int tauMax;
    private final int n;
    /** Per shift k = 0..m-1: cos and sin of {@code -2 pi f k hop / N}, f = 0..N/2. */
    private final double[][] cos;
    private final double[][] sin;
    private final DoubleFFT_1D inverse;

    private CrossTermBlocks(int hop, int yinWin, int tauMax) {
        this.hop = hop;
        this.blocksPerWindow = yinWin / hop;
        this.segmentBlocks = (hop + tauMax + hop - 1) / hop;
        this.tauMax = tauMax;
        int need = Math.max(segmentBlocks * hop, hop + tauMax);
        this.n = Integer.highestOneBit(need - 1) << 1;
        cos = new double[segmentBlocks][n / 2 + 1];
        sin = new double[segmentBlocks][n / 2 + 1];
        for (int k = 0; k < segmentBlocks; k++) {
            for (int f = 0; f <= n / 2; f++) {
                double phi = -2 * Math.PI * ((long) f * k * hop % n) / n;
                cos[k][f] = Math.cos(phi);
                sin[k][f] = Math.sin(phi);
            }
        }
        new RealFft(n); // initialises JTransforms single-threaded (RealFft's class initialiser)
        inverse = new DoubleFFT_1D(n);
    }

    /**
     * {@return the blocked form for these parameters, or null when {@code hop} does not divide {@code yinWin} or the
     * blocks would be too small to gain (fewer than 32 samples, or more than 8 per segment)}
     */
    static CrossTermBlocks of(int hop, int yinWin, int tauMax) {
        if (yinWin % hop != 0 || hop < 32 || (hop + tauMax + hop - 1) / hop > 8) {
            return null;
        }
        return new CrossTermBlocks(hop, yinWin, tauMax);
    }

    /**
     * @param y       the signal (zeros outside it)
     * @param divisor the samples are {@code (double) y[i] / divisor}
     * @param s0      start of frame 0's integration window
     * @return a cursor over the frames 0, 1, 2, ... of {@code y}
     */
    Cursor cursor(float[] y, double divisor, int s0) {
        return new Cursor(y, divisor, s0);
    }

    /** One signal's block spectra, computed as the frames advance. Not thread-safe. */
    final class Cursor {
        private final float[] y;
        private final double divisor;
        private final int s0;
        private final RealFft fft = new RealFft(n);
        /** Ring of block spectra A_b (packed), slot b mod m, and of their products C_b, slot b mod blocksPerWindow. */
        private final double[][] spectra = new double[segmentBlocks][n];
        private final double[][] products = new double[blocksPerWindow][n];
        private final double[] sum = new double[n];
        /** Next block whose spectrum, and whose product, is to be computed. */
        private int nextSpectrum;
        private int nextProduct;

        private Cursor(float[] y, double divisor, int s0) {
            this.y = y;
            this.divisor = divisor;
            this.s0 = s0;
        }

        /**
         * Writes {@code r_t(tau)}, {@code tau = 0..tau_max}, into {@code out}; frames must come in order 0, 1, 2, ...
         */
        void crossTerm(int t, double[] out) {
            int last = t + blocksPerWindow - 1;
            while (nextProduct <= last) {
                product(nextProduct++);
            }
            double[] r = sum;
            System.arraycopy(products[t % blocksPerWindow], 0, r, 0, n);
            for (int k = 1; k < blocksPerWindow; k++) {
                double[] c = products[(t + k) % blocksPerWindow];
                for (int i = 0; i < n; i++) {
                    r[i] += c[i];
                }
            }
            inverse.realInverse(r, true);
            System.arraycopy(r, 0, out, 0, tauMax + 1);
        }

        /** C_b = S_b conj(A_b), S_b = sum_k A_{b+k} e^{-2 pi i f k hop / N}. */
        private void product(int b) {
            while (nextSpectrum < b + segmentBlocks) {
                spectrum(nextSpectrum++);
            }
            double[] c = products[b % blocksPerWindow];
            double[] a = spectra[b % segmentBlocks];
            // packed: [0] = bin 0, [1] = bin N/2 (both real), then (re, im) of bins 1 .. N/2 - 1
            double s0r = 0;
            double sNr = 0;
            for (int k = 0; k < segmentBlocks; k++) {
                double[] ak = spectra[(b + k) % segmentBlocks];
                s0r += ak[0];
                sNr += ak[1] * cos[k][n / 2];
            }
            c[0] = s0r * a[0];
            c[1] = sNr * a[1];
            for (int f = 1; f < n / 2; f++) {
                double sr = 0;
                double si = 0;
                for (int k = 0; k < segmentBlocks; k++) {
                    double[] ak = spectra[(b + k) % segmentBlocks];
                    double xr = ak[2 * f];
                    double xi = ak[2 * f + 1];
                    double wr = cos[k][f];
                    double wi = sin[k][f];
                    sr += xr * wr - xi * wi;
                    si += xr * wi + xi * wr;
                }
                double ar = a[2 * f];
                double ai = a[2 * f + 1];
                c[2 * f] = sr * ar + si * ai;
                c[2 * f + 1] = si * ar - sr * ai;
            }
        }

        /** A_b: the packed spectrum of block b's samples, zero padded to N. */
        private void spectrum(int b) {
            double[] a = spectra[b % segmentBlocks];
            int o = s0 + b * hop;
            for (int j = 0; j < hop; j++) {
                int i = o + j;
                a[j] = i >= 0 && i < y.length ? y[i] / divisor : 0.0;
            }
            java.util.Arrays.fill(a, hop, n, 0.0);
            fft.forwardPacked(a);
        }
    }
}
