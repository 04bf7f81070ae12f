package io.github.ser4j.dsp.signal;

import java.util.Arrays;

/**
 * One polyphase stage of a {@link ResamplerStream}: the input history of a {@link ResamplerKernel}, at absolute input
 * positions, and the outputs it completes. Outputs are summed by one of four paths chosen from the kernel: direct
 * sums with the bank's or interpolated rows, runs of periods ({@link ResamplerKernel#periodRows}), decimation blocks
 * ({@link ResamplerKernel#decimationRows}) or FFT blocks ({@link FftDecimation}); each output is the same double sum
 * however the input is chunked. All paths read one history ({@code buf}, {@code bufStart}), which {@link #compact()}
 * trims for all of them at once. Memory is fixed at creation; {@link #feed} and {@link #drain} allocate nothing.
 *
 * <p>Thread-safety: not thread-safe; one stage per stream.
 */
final class ResamplerStage {
    /** History beyond the filter, in input samples (and the chunk a first stage is drained by). */
    static final int BLOCK = 4096;
    /** Outputs per block of the decimation path. */
    private static final int DECIMATION_BLOCK = 512;
    /** Bound on the transposed inputs of a run of periods ({@link #emitPeriods}), in doubles (256 KiB). */
    private static final int TRANSPOSED = 32768;

    private final ResamplerKernel kernel;
    final int up;
    final int down;
    final int halfWidth;
    private final int taps;
    private final int qStep;
    private final int pStep;
    private final float[] bank;
    private final float[] row;
    /** {@link ResamplerKernel#periodRows} and its schedule, the inputs of a run of periods transposed, their sums. */
    private final float[] periodRows;
    private final int[] periodStart;
    private final double[][] transposed;
    private final double[] periodAcc;
    /** Integer decimation: {@link ResamplerKernel#decimationRows}, the block's sums and one phase of its inputs. */
    private final double[][] decimationRows;
    private final double[] acc;
    private final double[] phaseInput;
    /** Integer decimation by FFT blocks ({@link FftDecimation}), its scratch and the outputs of the last block. */
    private final FftDecimation fft;
    private final double[] fftWork;
    private final float[] blockOut;
    /** Outputs of {@link #blockOut} already written, and how many it holds. */
    private int blockPos;
    private int blockCount;
    /** Absolute input index of the next FFT block's first input. */
    private long nextBlock;
    /** Input history; buf[0] holds absolute input index bufStart (negative indices are the zeros before the start). */
    private final float[] buf;
    private long bufStart;
    private int bufLen;
    private long samplesOut;
    /** Position of the next output: input index q plus phase / up. */
    private long q;
    private int phase;

    ResamplerStage(ResamplerKernel kernel) {
        this.kernel = kernel;
        up = kernel.up;
        down = kernel.down;
        halfWidth = kernel.halfWidth;
        taps = kernel.taps;
        qStep = down / up;
        pStep = down % up;
        bank = kernel.precomputed() ? kernel.bank() : null;
        row = kernel.precomputed() ? null : new float[taps];
        fft = kernel.fftDecimation;
        periodRows = kernel.periodRows;
        periodStart = kernel.periodStart;
        if (periodRows != null) {
            int periods = Math.max(16, Math.min(128, TRANSPOSED / (down + taps - 1)));
            transposed = new double[down + taps - 1][periods];
            periodAcc = new double[periods];
            buf = new float[taps + Math.max(BLOCK, periods * down + taps)];
        } else {
            transposed = null;
            periodAcc = null;
            buf = new float[fft != null ? fft.size + BLOCK : taps + Math.max(BLOCK, taps)];
        }
        fftWork = fft != null ? new double[fft.size] : null;
        blockOut = fft != null ? new float[fft.perBlock] : null;
        decimationRows = kernel.decimationRows;
        if (decimationRows != null) {
            acc = new double[DECIMATION_BLOCK];
            phaseInput = new double[DECIMATION_BLOCK + decimationRows[0].length];
        } else {
            acc = phaseInput = null;
        }
        reset();
    }

    /** {@return the number of outputs written since creation or the last {@link #reset()}} */
    long samplesOut() {
        return samplesOut;
    }

    /** {@return the exact number of outputs {@link #feed} writes now for {@code inputLength} more inputs} */
    long outputLength(long inputLength) {
        return emittable(bufStart + bufLen + inputLength) - samplesOut;
    }

    /** Appends {@code length} samples to the kernel's input and writes the outputs they complete, up to {@code limit}. */
    int feed(float[] in, int inOffset, int length, float[] out, int outOffset, long limit) {
        int written = 0;
        int pos = inOffset;
        int remaining = length;
        while (remaining > 0) {
            int n = Math.min(remaining, buf.length - bufLen);
            System.arraycopy(in, pos, buf, bufLen, n);
            bufLen += n;
            pos += n;
            remaining -= n;
            written += emit(out, outOffset + written, limit);
            compact();
        }
        return written;
    }

    /**
     * The next {@code count} outputs, computed with zeros after the input fed so far (at the end of the signal); the
     * stage keeps its position, so it must be {@link #reset()} before a new signal.
     */
    int drain(long count, float[] out, int outOffset) {
        long limit = samplesOut + count;
        int written = 0;
        while (samplesOut < limit) {
            Arrays.fill(buf, bufLen, buf.length, 0f);
            bufLen = buf.length;
            written += emit(out, outOffset + written, limit);
            compact();
        }
        return written;
    }


    /** Forgets the signal, to start a new one; buffers are kept. */
    void reset() {
        samplesOut = 0;
        q = 0;
        phase = 0;
        nextBlock = 1 - halfWidth;
        blockPos = blockCount = 0;
        // The first output needs x[-halfWidth+1 .. halfWidth]: start with the zeros before the signal.
        bufStart = -(halfWidth - 1);
        bufLen = halfWidth - 1;
        Arrays.fill(buf, 0, bufLen, 0f);
    }

    /**
     * Number of outputs written once the input ends below absolute index {@code end}: those whose inputs all lie
     * below it (floor(kM/L) + W <= end - 1), or, with FFT blocks, those of the blocks that lie below it.
     */
    private long emittable(long end) {
        if (fft != null) {
            long complete = end - (1 - halfWidth) - fft.size;
            return complete < 0 ? 0 : (complete / fft.length + 1) * fft.perBlock;
        }
        long m = end - 1 - halfWidth;
        if (m < 0) {
            return 0;
        }
        return (Math.multiplyExact(m + 1, (long) up) - 1) / down + 1;
    }

    /** Writes every output whose inputs are in the buffer, up to output index {@code limit} (exclusive). */
    private int emit(float[] out, int outOffset, long limit) {
        if (fft != null) {
            return emitBlocks(out, outOffset, limit);
        }
        if (decimationRows != null) {
            return emitDecimation(out, outOffset, limit);
        }
        if (periodRows != null) {
            return emitPeriods(out, outOffset, limit);
        }
        long end = bufStart + bufLen;
        int written = 0;
        if (bank != null) {
            // four outputs at a time: four independent sums hide the latency of the double additions (one sum is a
            // single dependent chain); each sum keeps the order of dot(), so results do not depend on the grouping
            while (samplesOut + 4 <= limit) {
                long q1 = q + qStep;
                int p1 = phase + pStep;
                if (p1 >= up) {
                    p1 -= up;
                    q1++;
                }
                long q2 = q1 + qStep;
                int p2 = p1 + pStep;
                if (p2 >= up) {
                    p2 -= up;
                    q2++;
                }
                long q3 = q2 + qStep;
                int p3 = p2 + pStep;
                if (p3 >= up) {
                    p3 -= up;
                    q3++;
                }
                if (q3 + halfWidth >= end) {
                    break;
                }
                long base = halfWidth - 1 + bufStart;
                dot4(bank, phase * taps, p1 * taps, p2 * taps, p3 * taps, buf, (int) (q - base), (int) (q1 - base),
                        (int) (q2 - base), (int) (q3 - base), taps, out, outOffset + written);
                written += 4;
                samplesOut += 4;
                q = q3 + qStep;
                phase = p3 + pStep;
                if (phase >= up) {
                    phase -= up;
                    q++;
                }
            }
        }
        while (q + halfWidth < end && samplesOut < limit) {
            int start = (int) (q - halfWidth + 1 - bufStart);
            float[] coef;
            int coefOffset;
            if (bank != null) {
                coef = bank;
                coefOffset = phase * taps;
            } else {
                kernel.row(phase, row);
                coef = row;
                coefOffset = 0;
            }
            out[outOffset + written++] = (float) dot(coef, coefOffset, buf, start, taps);
            samplesOut++;
            q += qStep;
            phase += pStep;
            if (phase >= up) {
                phase -= up;
                q++;
            }
        }
        return written;
    }

    /**
     * {@link #emit} for an integer decimation (up = 1, one coefficient row): blocks of consecutive outputs, each sum
     * taken phase by phase ({@link ResamplerKernel#decimationRows}); every output, in a block or alone, adds the same
     * products in the same order, so results do not depend on the chunking.
     */
    private int emitDecimation(float[] out, int outOffset, long limit) {
        long end = bufStart + bufLen;
        long ready = q + halfWidth < end ? (end - 1 - halfWidth - q) / down + 1 : 0;
        long todo = Math.min(ready, limit - samplesOut);
        int written = 0;
        while (todo > 0) {
            int n = (int) Math.min(todo, DECIMATION_BLOCK);
            int start = (int) (q - halfWidth + 1 - bufStart);
            if (n >= 8) {
                decimateBlock(start, n, out, outOffset + written);
            } else {
                for (int k = 0; k < n; k++) {
                    out[outOffset + written + k] = (float) decimateOne(start + k * down);
                }
            }
            written += n;
            samplesOut += n;
            q += (long) n * down;
            todo -= n;
        }
        return written;
    }

    /**
     * {@link #emit} with FFT blocks: the outputs left from the last block, then each block whose inputs are all in
     * the buffer, up to output index {@code limit} (exclusive; the rest of a block waits in {@link #blockOut}).
     */
    private int emitBlocks(float[] out, int outOffset, long limit) {
        long end = bufStart + bufLen;
        int written = 0;
        while (samplesOut < limit) {
            if (blockPos == blockCount) {
                if (nextBlock + fft.size > end) {
                    break;
                }
                fft.block(buf, (int) (nextBlock - bufStart), fftWork, blockOut, 0);
                blockPos = 0;
                blockCount = fft.perBlock;
                nextBlock += fft.length;
            }
            int n = (int) Math.min(blockCount - blockPos, limit - samplesOut);
            System.arraycopy(blockOut, blockPos, out, outOffset + written, n);
            blockPos += n;
            written += n;
            samplesOut += n;
        }
        return written;
    }

    /**
     * {@link #emit} with sums by period ({@link ResamplerKernel#periodRows}): whole periods ({@code up}
     * outputs, {@code down} inputs) in runs of 16 to 128 periods, the outputs of one row across the run at once
     * from the inputs transposed so that the run's periods are contiguous (a loop the JIT vectorises); outputs alone
     * before the next period boundary and where the buffer ends mid-period. Each output is the same double sum either
     * way, so results do not depend on the chunking.
     */
    private int emitPeriods(float[] out, int outOffset, long limit) {
        long end = bufStart + bufLen;
        int written = 0;
        int lastStart = periodStart[up - 1];
        while (samplesOut < limit) {
            if (phase == 0) {
                // periods whose last output's inputs, up to q + n down + lastStart + taps - 1, are all in the buffer
                long avail = end - (q + lastStart + taps);
                long runs = avail < 0 ? 0 : avail / down + 1;
                int n = (int) Math.min(Math.min(runs, periodAcc.length), (limit - samplesOut) / up);
                if (n > 0) {
                    periods((int) (q - bufStart), n, out, outOffset + written);
                    written += n * up;
                    samplesOut += (long) n * up;
                    q += (long) n * down;
                    continue;
                }
            }
            int i = (int) (samplesOut % up);
            long start = q - halfWidth + 1; // the period's start plus periodStart[i]
            if (start + taps > end) {
                break;
            }
            double sum = 0;
            int co = i * taps;
            int xo = (int) (start - bufStart);
            for (int t = 0; t < taps; t++) {
                sum += (double) periodRows[co + t] * buf[xo + t];
            }
            out[outOffset + written++] = (float) sum;
            samplesOut++;
            q += qStep;
            phase += pStep;
            if (phase >= up) {
                phase -= up;
                q++;
            }
        }
        return written;
    }

    /** {@code n} whole periods from the period starting at buf[base] into out[o..). */
    private void periods(int base, int n, float[] out, int o) {
        double[][] xt = transposed; // one array per input offset: loops over a row at offset 0 vectorise in C2
        double[] acc = periodAcc;
        int first = 1 - halfWidth; // the lowest input offset any row of a period reads
        for (int u = 0; u < xt.length; u++) {
            double[] r = xt[u];
            for (int k = 0, j = base + first + u; k < n; k++, j += down) {
                r[k] = buf[j];
            }
        }
        for (int i = 0; i < up; i++) {
            java.util.Arrays.fill(acc, 0, n, 0.0);
            int co = i * taps;
            int u = periodStart[i] - first;
            for (int t = 0; t < taps; t++) {
                double c = periodRows[co + t];
                double[] x = xt[u + t];
                for (int k = 0; k < n; k++) {
                    acc[k] += c * x[k];
                }
            }
            for (int k = 0, j = o + i; k < n; k++, j += up) {
                out[j] = (float) acc[k];
            }
        }
    }

    /** Outputs whose first inputs are buf[start + k * down], k = 0..n-1, into out[o..o+n). */
    private void decimateBlock(int start, int n, float[] out, int o) {
        double[] a = acc;
        double[] xr = phaseInput;
        java.util.Arrays.fill(a, 0, n, 0.0);
        for (int r = 0; r < down; r++) {
            double[] c = decimationRows[r];
            int len = n - 1 + c.length;
            for (int i = 0, j = start + r; i < len; i++, j += down) {
                xr[i] = buf[j];
            }
            // one sliding dot product per coefficient: a contiguous multiply-add over the block (vectorises)
            for (int m = 0; m < c.length; m++) {
                double cm = c[m];
                for (int k = 0; k < n; k++) {
                    a[k] += cm * xr[k + m];
                }
            }
        }
        for (int k = 0; k < n; k++) {
            out[o + k] = (float) a[k];
        }
    }

    /** One output of {@link #decimateBlock}, with the same products in the same order. */
    private double decimateOne(int start) {
        double a = 0;
        for (int r = 0; r < down; r++) {
            double[] c = decimationRows[r];
            for (int m = 0, j = start + r; m < c.length; m++, j += down) {
                a += c[m] * buf[j];
            }
        }
        return a;
    }

    /** Drops history no future output needs (everything before q - halfWidth + 1, or before the next FFT block). */
    private void compact() {
        long keepFrom = fft != null ? nextBlock : q - halfWidth + 1;
        int drop = (int) Math.min(bufLen, keepFrom - bufStart);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    /** One output: the products summed in double, in index order. */
    private static double dot(float[] c, int co, float[] x, int xo, int n) {
        double a = 0;
        for (int i = 0; i < n; i++) {
            a += (double) c[co + i] * x[xo + i];
        }
        return a;
    }

    /** Four outputs, each summed exactly as {@link #dot}. */
    private static void dot4(float[] c, int c0, int c1, int c2, int c3, float[] x, int x0, int x1, int x2, int x3,
                             int n, float[] out, int o) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        for (int i = 0; i < n; i++) {
            a0 += (double) c[c0 + i] * x[x0 + i];
            a1 += (double) c[c1 + i] * x[x1 + i];
            a2 += (double) c[c2 + i] * x[x2 + i];
            a3 += (double) c[c3 + i] * x[x3 + i];
        }
        out[o] = (float) a0;
        out[o + 1] = (float) a1;
        out[o + 2] = (float) a2;
        out[o + 3] = (float) a3;
    }
}
