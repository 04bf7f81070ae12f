package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.fft.RealFft;
import org.jtransforms.utils.CommonUtils;

/**
 * Power spectrum of a real frame whose length is a power of two (64 to 512): JTransforms' {@code realForward} without
 * its last two passes. The complex half-length transform ({@code cftf1st} and {@code cftleaf}/{@code cftfx41}, as
 * {@code DoubleFFT_1D} runs them) leaves its bins in bit-reversed order; instead of {@code bitrv2} reordering them and
 * {@code rftfsub} splitting them into the real transform, one loop reads each pair of bins {@code (k, n/2 - k)}
 * through a permutation table, splits it with {@code rftfsub}'s very operations (so the double bins are bit for bit
 * those of {@link RealFft#forwardPacked}) and writes the two bins' {@code re * re + im * im}, computed in double and
 * rounded once to float32. librosa rounds the bins to complex64 first and numpy then rounds {@code |X|} and its
 * square, so the two differ by about a float32 ulp; the MFCC stays within PARITY.md's tolerance. The bit reversal,
 * one pass over the frame and eight float conversions per pair of bins are saved. Immutable tables shared per size.
 * Not API.
 */
final class PowerFft {
    private final int n;
    private final int nw;
    private final int[] ip;
    private final double[] w;
    /** perm[c] = where complex bin c sits before the bit reversal. */
    private final int[] perm;
    private final double[] wkr;
    private final double[] wki;

    private PowerFft(int n) {
        this.n = n;
        // DoubleFFT_1D's tables for a power-of-two size
        ip = new int[2 + (int) Math.ceil(Math.sqrt(n / 2.0))];
        w = new double[n / 2];
        nw = n >> 2;
        CommonUtils.makewt(nw, ip, w);
        int nc = n >> 2;
        CommonUtils.makect(nc, w, nw, ip);
        // the permutation bitrv2 applies, read off an array of indices
        double[] idx = new double[n];
        for (int c = 0; c < n / 2; c++) {
            idx[2 * c] = c;
            idx[2 * c + 1] = c;
        }
        CommonUtils.bitrv2(n, ip, idx, 0);
        perm = new int[n / 2];
        for (int c = 0; c < n / 2; c++) {
            perm[c] = (int) idx[2 * c];
        }
        // rftfsub's twiddles (kk = c * ks)
        int m = n >> 1;
        int ks = 2 * nc / m;
        wkr = new double[n / 4 + 1];
        wki = new double[n / 4 + 1];
        for (int c = 1; c < n / 4; c++) {
            int kk = c * ks;
            wkr[c] = 0.5 - w[nw + nc - kk];
            wki[c] = w[nw + kk];
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, PowerFft> PLANS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param n transform length
     * @return the shared tables, or null if {@code n} is not a power of two in [64, 512]
     */
    static PowerFft of(int n) {
        if (n < 64 || n > 512 || (n & (n - 1)) != 0) {
            return null;
        }
        return PLANS.computeIfAbsent(n, PowerFft::new);
    }

    /** The complex half-length transform, bins left in bit-reversed order. */
    private void complexPart(double[] a) {
        CommonUtils.cftf1st(n, a, 0, w, nw - (n >> 2));
        if (n > 128) {
            CommonUtils.cftleaf(n, 1, a, 0, nw, w);
        } else {
            CommonUtils.cftfx41(n, a, 0, nw, w);
        }
    }

    /**
     * The bins of {@link RealFft#forward}, bit for bit, without the bit reversal and {@code rftfsub}'s pass.
     *
     * @param a  {@code n} samples, overwritten (scratch)
     * @param re receives the real parts of the {@code n/2 + 1} bins
     * @param im receives the imaginary parts
     */
    void forward(double[] a, double[] re, double[] im) {
        complexPart(a);
        int h = n >> 1;
        int q = n >> 2;
        int[] p = perm;
        for (int c = 1; c < q; c++) {
            int i1 = 2 * p[c];
            int i2 = 2 * p[h - c];
            double xr = a[i1] - a[i2];
            double xi = a[i1 + 1] + a[i2 + 1];
            double yr = wkr[c] * xr - wki[c] * xi;
            double yi = wkr[c] * xi + wki[c] * xr;
            re[c] = a[i1] - yr;
            im[c] = yi - a[i1 + 1];
            re[h - c] = a[i2] + yr;
            im[h - c] = yi - a[i2 + 1];
        }
        int iq = 2 * p[q];
        re[q] = a[iq];
        im[q] = -a[iq + 1];
        int i0 = 2 * p[0];
        re[0] = a[i0] + a[i0 + 1];
        im[0] = 0;
        re[h] = a[i0] - a[i0 + 1];
        im[h] = 0;
    }

    /**
     * @param a   {@code n} samples, overwritten (scratch)
     * @param out receives the {@code n/2 + 1} values {@code |X_k|^2}, each rounded once to float32
     */
    void power(double[] a, float[] out) {
        complexPart(a);
        int h = n >> 1;
        int q = n >> 2;
        int[] p = perm;
        for (int c = 1; c < q; c++) {
            // rftfsub on complex bins c and h - c, then the two power values
            int i1 = 2 * p[c];
            int i2 = 2 * p[h - c];
            double xr = a[i1] - a[i2];
            double xi = a[i1 + 1] + a[i2 + 1];
            double yr = wkr[c] * xr - wki[c] * xi;
            double yi = wkr[c] * xi + wki[c] * xr;
            double r1 = a[i1] - yr;
            double m1 = yi - a[i1 + 1];
            double r2 = a[i2] + yr;
            double m2 = yi - a[i2 + 1];
            out[c] = (float) (r1 * r1 + m1 * m1);
            out[h - c] = (float) (r2 * r2 + m2 * m2);
        }
        int iq = 2 * p[q];
        double rq = a[iq];
        double mq = a[iq + 1];
        out[q] = (float) (rq * rq + mq * mq);
        int i0 = 2 * p[0];
        double dc = a[i0] + a[i0 + 1];
        double nyquist = a[i0] - a[i0 + 1];
        out[0] = (float) (dc * dc);
        out[h] = (float) (nyquist * nyquist);
    }
}
