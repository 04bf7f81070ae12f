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
        private final double[] packed = new double[n];
        private final int half = n / 2;
        /**
         * Rings: block samples x and x^2 (slot b mod {@code samplesRing}), block spectra A_b split into real and
         * imaginary parts of bins 0..N/2 (slot b mod m), and the products C_b (slot b mod blocksPerWindow).
         */
        private final int samplesRing = blocksPerWindow + segmentBlocks - 1;
        private final double[][] squares = new double[samplesRing][hop];
        private final double[][] specRe = new double[segmentBlocks][half + 1];
        private final double[][] specIm = new double[segmentBlocks][half + 1];
        private final double[][] prodRe = new double[blocksPerWindow][half + 1];
        private final double[][] prodIm = new double[blocksPerWindow][half + 1];
        private final double[] segRe = new double[half + 1];
        private final double[] segIm = new double[half + 1];
        private final double[] sumRe = new double[half + 1];
        private final double[] sumIm = new double[half + 1];
        /** Next block whose spectrum, and whose product, is to be computed. */
        private int nextSpectrum;
        private int nextProduct;

        private Cursor(float[] y, double divisor, int s0) {
            this.y = y;
            this.divisor = divisor;
            this.s0 = s0;
        }

        /**
         * Writes {@code r_t(tau)}, {@code tau = 0..tau_max}, into {@code cross} and the running sums of squares of
         * frame {@code t}'s {@code length} samples ({@code sq[j] = sum_{i < j} x_i^2}, {@code j = 0..length}) into
         * {@code sq}; frames must come in order 0, 1, 2, ...
         *
         * @param length the frame's length, at most {@code yin_win + tau_max}
         */
        void frame(int t, double[] cross, double[] sq, int length) {
            int last = t + blocksPerWindow - 1;
            while (nextProduct <= last) {
                product(nextProduct++);
            }
            // the blocks t .. t + blocksPerWindow + m - 2 cover the frame and have their samples in the ring
            double acc = 0;
            sq[0] = 0;
            for (int b = t, j = 0; j < length; b++) {
                double[] q = squares[b % samplesRing];
                int m = Math.min(hop, length - j);
                for (int i = 0; i < m; i++) {
                    acc += q[i];
                    sq[++j] = acc;
                }
            }
            System.arraycopy(prodRe[t % blocksPerWindow], 0, sumRe, 0, half + 1);
            System.arraycopy(prodIm[t % blocksPerWindow], 0, sumIm, 0, half + 1);
            for (int k = 1; k < blocksPerWindow; k++) {
                double[] cr = prodRe[(t + k) % blocksPerWindow];
                double[] ci = prodIm[(t + k) % blocksPerWindow];
                for (int f = 0; f <= half; f++) {
                    sumRe[f] += cr[f];
                    sumIm[f] += ci[f];
                }
            }
            // JTransforms' packed layout: [0] = bin 0, [1] = bin N/2 (both real), then (re, im) of bins 1 .. N/2 - 1
            double[] r = packed;
            r[0] = sumRe[0];
            r[1] = sumRe[half];
            for (int f = 1; f < half; f++) {
                r[2 * f] = sumRe[f];
                r[2 * f + 1] = sumIm[f];
            }
            inverse.realInverse(r, true);
            System.arraycopy(r, 0, cross, 0, tauMax + 1);
        }

        /** C_b = S_b conj(A_b), S_b = sum_k A_{b+k} e^{-2 pi i f k hop / N}. */
        private void product(int b) {
            while (nextSpectrum < b + segmentBlocks) {
                spectrum(nextSpectrum++);
            }
            double[] ar = specRe[b % segmentBlocks];
            double[] ai = specIm[b % segmentBlocks];
            System.arraycopy(ar, 0, segRe, 0, half + 1);
            System.arraycopy(ai, 0, segIm, 0, half + 1);
            for (int k = 1; k < segmentBlocks; k++) {
                double[] xr = specRe[(b + k) % segmentBlocks];
                double[] xi = specIm[(b + k) % segmentBlocks];
                double[] wr = cos[k];
                double[] wi = sin[k];
                for (int f = 0; f <= half; f++) {
                    segRe[f] += xr[f] * wr[f] - xi[f] * wi[f];
                    segIm[f] += xr[f] * wi[f] + xi[f] * wr[f];
                }
            }
            double[] cr = prodRe[b % blocksPerWindow];
            double[] ci = prodIm[b % blocksPerWindow];
            for (int f = 0; f <= half; f++) {
                cr[f] = segRe[f] * ar[f] + segIm[f] * ai[f];
                ci[f] = segIm[f] * ar[f] - segRe[f] * ai[f];
            }
        }

        /** Block b's samples (and their squares), and A_b: their spectrum zero padded to N, split into re and im. */
        private void spectrum(int b) {
            double[] a = packed;
            double[] sqs = squares[b % samplesRing];
            int o = s0 + b * hop;
            for (int j = 0; j < hop; j++) {
                int i = o + j;
                double x = i >= 0 && i < y.length ? y[i] / divisor : 0.0;
                a[j] = x;
                sqs[j] = x * x;
            }
            java.util.Arrays.fill(a, hop, n, 0.0);
            fft.forwardPacked(a);
            double[] re = specRe[b % segmentBlocks];
            double[] im = specIm[b % segmentBlocks];
            re[0] = a[0];
            im[0] = 0;
            re[half] = a[1];
            im[half] = 0;
            for (int f = 1; f < half; f++) {
                re[f] = a[2 * f];
                im[f] = a[2 * f + 1];
            }
        }
    }
}
