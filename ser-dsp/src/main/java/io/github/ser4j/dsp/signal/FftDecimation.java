package io.github.ser4j.dsp.signal;

import io.github.ser4j.dsp.fft.RealFft;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Integer decimation (up = 1, down = M) by polyphase overlap-save FFT convolution: the same filter and output
 * positions as the direct form of {@link ResamplerKernel}, with FFTs at the output rate.
 *
 * <p>Output {@code k} is {@code z[k * M + s0]}, where {@code z[s] = sum_j h[j] x[s + j]} over the {@code taps}
 * coefficients {@code h} (the kernel's single row) and {@code s0 = 1 - halfWidth}. Split by input phase
 * ({@code h_r[m] = h[r + M m]}, {@code x_r[i] = x[B + r + M i]}), the outputs of a block starting at input {@code B}
 * are {@code z[B + M t] = sum_r sum_m h_r[m] x_r[t + m]}: {@code M} correlations at the output rate, summed in the
 * frequency domain, so a block costs {@code M} forward real FFTs of {@link #fftSize} points and one inverse, for
 * {@link #perBlock} {@code = fftSize - ceil(taps / M) + 1} outputs (a full-rate FFT would transform {@code M} times
 * as many points back only to drop all but one in {@code M}). A block reads the {@link #size} {@code = M * fftSize}
 * inputs {@code x[B .. B + size)}. Blocks sit at fixed absolute positions {@code B = s0 + b * length}, so a block
 * always holds the same inputs whatever the chunking of a stream, and every output is the same double arithmetic in
 * a stream and in the batch form: the two stay bit-identical.
 *
 * <p>Immutable after construction and thread-safe: JTransforms' power-of-two transforms only read their tables; the
 * work array is the caller's.
 */
final class FftDecimation {
    /** Largest FFT used. */
    static final int MAX_SIZE = 1 << 16;
    /** Largest block, in inputs ({@code down * fftSize}); beyond it the direct form is kept. */
    static final int MAX_BLOCK = 1 << 20;

    static {
        RealFft.class.getName(); // RealFft's static initialiser keeps JTransforms single-threaded
    }

    /** Input samples a block reads: {@code down * fftSize}. */
    final int size;
    /** Input samples each block advances by: {@code down * perBlock}. */
    final int length;
    /** Outputs per block. */
    final int perBlock;
    /** Points of each FFT: the smallest power of two of at least four phase lengths (and 256). */
    final int fftSize;
    private final int down;
    /** Taps per phase, {@code ceil(taps / down)}. */
    private final int phaseTaps;
    private final DoubleFFT_1D fft;
    /**
     * Per phase r, realForward of its reversed, zero-padded taps, times 2 / fftSize (JTransforms' unscaled
     * realInverse gives fftSize / 2 times the signal).
     */
    private final double[][] response;

    private FftDecimation(float[] h, int down, int fftSize) {
        int taps = h.length;
        this.down = down;
        this.fftSize = fftSize;
        this.phaseTaps = (taps + down - 1) / down;
        this.size = down * fftSize;
        this.perBlock = fftSize - phaseTaps + 1;
        this.length = down * perBlock;
        this.fft = new DoubleFFT_1D(fftSize);
        this.response = new double[down][fftSize];
        for (int r = 0; r < down; r++) {
            double[] g = response[r];
            for (int m = 0; r + down * m < taps; m++) {
                g[phaseTaps - 1 - m] = h[r + down * m] * (2.0 / fftSize);
            }
            fft.realForward(g);
        }
    }

    /**
     * {@return the polyphase form for an integer decimation with the filter row {@code h}, or null when its FFT would
     * exceed {@link #MAX_SIZE} or its block {@link #MAX_BLOCK} (the direct form is used then)}
     */
    static FftDecimation of(float[] h, int down) {
        int phaseTaps = (h.length + down - 1) / down;
        int fftSize = Integer.highestOneBit(Math.max(256, 4 * phaseTaps) - 1) << 1;
        return fftSize > MAX_SIZE || (long) fftSize * down > MAX_BLOCK ? null : new FftDecimation(h, down, fftSize);
    }

    /**
     * One block: the {@link #perBlock} outputs of the {@link #size} inputs {@code x[from .. from + size)}.
     *
     * @param x      input samples; not modified
     * @param from   index in {@code x} of the block's first input
     * @param work   scratch of at least {@code 2 * fftSize} doubles
     * @param out    receives the outputs
     * @param offset index in {@code out} of the first output
     */
    void block(float[] x, int from, double[] work, float[] out, int offset) {
        int n = fftSize;
        int d = down;
        for (int r = 0; r < d; r++) {
            for (int i = 0, j = from + r; i < n; i++, j += d) {
                work[n + i] = x[j];
            }
            fft.realForward(work, n);
            double[] g = response[r];
            if (r == 0) {
                work[0] = work[n] * g[0];
                work[1] = work[n + 1] * g[1]; // the Nyquist bin, real
                for (int k = 2; k < n; k += 2) {
                    double re = work[n + k];
                    double im = work[n + k + 1];
                    work[k] = re * g[k] - im * g[k + 1];
                    work[k + 1] = re * g[k + 1] + im * g[k];
                }
            } else {
                work[0] += work[n] * g[0];
                work[1] += work[n + 1] * g[1];
                for (int k = 2; k < n; k += 2) {
                    double re = work[n + k];
                    double im = work[n + k + 1];
                    work[k] += re * g[k] - im * g[k + 1];
                    work[k + 1] += re * g[k + 1] + im * g[k];
                }
            }
        }
        fft.realInverse(work, 0, false);
        for (int t = 0, i = phaseTaps - 1; t < perBlock; t++, i++) {
            out[offset + t] = (float) work[i];
        }
    }
}
