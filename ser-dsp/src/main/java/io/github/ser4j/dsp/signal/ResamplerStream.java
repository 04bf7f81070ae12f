package io.github.ser4j.dsp.signal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Resampling of a signal that arrives in chunks of any size (one sample to minutes), from
 * {@link Resampler#newStream()}.
 *
 * <p>The samples are exactly those {@link Resampler#resample(float[])} yields for the concatenation of all chunks:
 * same count, same float values, whatever the chunk sizes. An output sample is written as soon as every input sample
 * it depends on has arrived ({@link Resampler#taps()}{@code / 2} input samples after its position, e.g. 6 ms at
 * 16 kHz to 22.05 kHz), except where the conversion ends with an integer decimation (48, 96 or 32 kHz to 16 kHz, and
 * the two-stage 44.1 and 22.05 kHz to 16 kHz of {@link Resampler}): that stage is computed in FFT blocks of a few
 * thousand samples (polyphase overlap-save, several times cheaper than direct sums), and the outputs of a block are
 * written together once the block's last input has arrived, at most one block later than direct sums would be (3072
 * samples at 48 kHz, 64 ms, at 48 or 44.1 kHz to 16 kHz). The last samples, which depend on the zeros past the end,
 * are written by {@link #flush(float[], int)}. A live stream that never ends simply never flushes.
 *
 * <p>Memory is fixed at creation (a history buffer of {@code taps} plus {@code max(4096, taps)} samples, or of one
 * FFT block plus 4096 with the block's work array, per stage; one coefficient row when the rows are interpolated; for
 * the first of two stages, a run of 16 to 128 periods and its inputs transposed, at most about 400 KiB):
 * {@link #process} and {@link #flush} allocate nothing, whatever the chunk size. Output goes to a caller-provided
 * array; size it with {@link #outputLength(int)} (exact) or {@link Resampler#maxOutputLength(int)} (a bound, to
 * preallocate).
 *
 * <p>Thread-safety: not thread-safe; use one stream per signal, from one thread at a time.
 *
 * <p>This class chains the stages (one, or two for {@link Resampler}'s two-stage conversions) and applies librosa's
 * output length; each stage's history and sums are in the package-private {@code ResamplerStage}.
 */
public final class ResamplerStream {
    /** Input samples passed at a time to the first of two stages. */
    private static final int STAGE_CHUNK = 16384;

    private final Resampler resampler;
    /** The first of two stages (see {@link Resampler}), whose outputs {@link #last} takes; null for one stage. */
    private final ResamplerStage first;
    /** The stage whose outputs are the stream's; null when the rates are equal (samples are copied). */
    private final ResamplerStage last;
    /** The first stage's outputs for {@link #STAGE_CHUNK} inputs. */
    private final float[] mid;
    /** The conversion's overall L and M (the kernel's own for one stage): soxr's output length. */
    private final int totalUp;
    private final int totalDown;
    private long samplesIn;

    ResamplerStream(Resampler resampler) {
        this.resampler = resampler;
        this.totalUp = resampler.upFactor();
        this.totalDown = resampler.downFactor();
        ResamplerKernel kernel = resampler.kernel();
        ResamplerKernel firstKernel = resampler.firstStage();
        if (firstKernel != null) {
            // never flushed, only drained: flush() gives the last stage the first stage's outputs it needs
            this.first = new ResamplerStage(firstKernel);
            this.mid = new float[(int) Resampler.maxOutputLength(firstKernel, STAGE_CHUNK)];
        } else {
            this.first = null;
            this.mid = null;
        }
        this.last = kernel == null ? null : new ResamplerStage(kernel);
    }

    /** {@return the resampler (rates, filter) this stream runs} */
    public Resampler resampler() {
        return resampler;
    }

    /**
     * The exact number of samples {@link #process} writes if called now with {@code inputLength} samples.
     *
     * @param inputLength number of input samples, at least 0
     * @return number of output samples
     * @throws IllegalArgumentException if {@code inputLength} is negative
     */
    public long outputLength(int inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("inputLength=" + inputLength + " must be >= 0");
        }
        if (last == null) {
            return inputLength;
        }
        return last.outputLength(first == null ? inputLength : first.outputLength(inputLength));
    }

    /**
     * Feeds samples and writes the output samples they complete.
     *
     * @param in        mono samples at {@link Resampler#origSr()}; not modified nor retained
     * @param inOffset  index of the first sample to use
     * @param length    number of samples to use (0 is allowed)
     * @param out       receives the output samples from {@code outOffset}; needs room for {@link #outputLength(int)
     *                  outputLength(length)} of them (at most {@link Resampler#maxOutputLength(int)})
     * @param outOffset index in {@code out} of the first sample written
     * @return the number of samples written
     * @throws IllegalArgumentException if a range is outside its array, {@code out} has too little room, or a sample
     *                                  is NaN or infinite; nothing is consumed then
     */
    public int process(float[] in, int inOffset, int length, float[] out, int outOffset) {
        Objects.requireNonNull(in, "in");
        SignalChecks.range(in.length, inOffset, length, "in");
        long produced = outputLength(length);
        SignalChecks.room(out, outOffset, produced, "out");
        SignalChecks.finite(in, inOffset, length, "in");
        if (last == null) {
            System.arraycopy(in, inOffset, out, outOffset, length);
            samplesIn += length;
            return length;
        }
        if (first == null) {
            samplesIn += length;
            return last.feed(in, inOffset, length, out, outOffset, Long.MAX_VALUE);
        }
        int written = 0;
        for (int pos = inOffset, end = inOffset + length; pos < end; ) {
            int n = Math.min(end - pos, STAGE_CHUNK);
            int m = first.feed(in, pos, n, mid, 0, Long.MAX_VALUE);
            written += last.feed(mid, 0, m, out, outOffset + written, Long.MAX_VALUE);
            samplesIn += n;
            pos += n;
        }
        return written;
    }

    /**
     * Same as {@code process(in, 0, in.length, out, outOffset)}.
     *
     * @param in        mono samples; not modified nor retained
     * @param out       receives the output samples
     * @param outOffset index in {@code out} of the first sample written
     * @return the number of samples written
     */
    public int process(float[] in, float[] out, int outOffset) {
        return process(in, 0, in.length, out, outOffset);
    }

    /**
     * {@return the exact number of samples {@link #flush(float[], int)} would write now: librosa's total output length
     * for the samples fed so far ({@link Resampler#outputLength(long)}) minus those already written}
     */
    public int flushLength() {
        if (last == null) {
            return 0;
        }
        return (int) Math.max(0, resampler.outputLength(samplesIn) - last.samplesOut());
    }

    /**
     * Ends the signal: writes the last output samples, then {@link #reset() resets} the stream for a new signal.
     *
     * <p>The last samples are computed with zeros past the end of the input, except that, as in librosa, the output
     * is soxr's {@code round(n * target_sr / orig_sr)} samples padded with zeros to librosa's length
     * {@code ceil(n * target_sr / orig_sr)}: when those differ, the final sample is 0.
     *
     * @param out       receives the samples from {@code outOffset}; needs room for {@link #flushLength()} of them (at
     *                  most {@link Resampler#maxFlushLength()})
     * @param outOffset index in {@code out} of the first sample written
     * @return the number of samples written
     * @throws IllegalArgumentException if {@code out} has too little room; the stream is unchanged then
     */
    public int flush(float[] out, int outOffset) {
        int count = flushLength();
        SignalChecks.room(out, outOffset, count, "out");
        long total = samplesOut() + count;
        long computed = last == null ? total : Math.min(total, roundedLength(samplesIn));
        int written = 0;
        if (first != null) {
            // the first stage's outputs that depend on a real input sample (the later ones are exact zeros, which
            // the drain below supplies): position floor(m M1 / L1) - halfWidth1 + 1 <= n - 1
            long needed = ceilDiv((samplesIn + first.halfWidth - 1) * first.up, first.down);
            while (first.samplesOut() < needed && last.samplesOut() < computed) {
                int m = first.drain(Math.min(needed - first.samplesOut(), ResamplerStage.BLOCK), mid, 0);
                written += last.feed(mid, 0, m, out, outOffset + written, computed);
            }
        }
        if (last != null) {
            written += last.drain(computed - last.samplesOut(), out, outOffset + written);
        }
        Arrays.fill(out, outOffset + written, outOffset + count, 0f);
        reset();
        return count;
    }

    /** Forgets the signal, to start a new one; buffers are kept. */
    public void reset() {
        samplesIn = 0;
        if (first != null) {
            first.reset();
        }
        if (last != null) {
            last.reset();
        }
    }

    /** {@return the number of input samples fed since creation or the last {@link #reset()} / flush} */
    public long samplesIn() {
        return samplesIn;
    }

    /** {@return the number of output samples written since creation or the last {@link #reset()} / flush} */
    public long samplesOut() {
        return last == null ? samplesIn : last.samplesOut();
    }

    /** soxr's output length for n input samples: round(n * L / M), halves up, in exact integer arithmetic. */
    private long roundedLength(long n) {
        return (2 * Math.multiplyExact(n, (long) totalUp) + totalDown) / (2L * totalDown);
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
