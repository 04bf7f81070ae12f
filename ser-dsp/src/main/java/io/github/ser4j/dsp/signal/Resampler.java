package io.github.ser4j.dsp.signal;

import io.github.ser4j.api.PcmFormat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Band-limited sample-rate conversion between any two integer rates, in the quality class of librosa's default
 * {@code librosa.resample(y, orig_sr=..., target_sr=..., res_type='soxr_hq')} (what {@code librosa.load(sr=...)}
 * uses), as a batch call ({@link #resample(float[], int, int)}) or a stream fed chunks of any size
 * ({@link #newStream()}) that yields exactly the same samples.
 *
 * <p>Rational polyphase resampling with a Kaiser-windowed sinc (passband edge {@value #PASSBAND_EDGE}, stopband edge
 * {@value #STOPBAND_EDGE} of the lower Nyquist frequency, {@value #STOPBAND_ATTENUATION_DB} dB); output sample
 * {@code k} sits exactly at input position {@code k * orig_sr / target_sr}, the input being zero outside the signal.
 * The output length is librosa's, {@link #outputLength(long)}; equal rates return a copy of the input. Design, the
 * two-stage path and the measured quality against the ideal and against soxr: ser-dsp's README, "Resampling".
 *
 * <p>Supported: rates 1 to {@value PcmFormat#MAX_SAMPLE_RATE} Hz, at most {@value #MAX_RATIO} times apart
 * (the filter, and the output per input sample, grow with the ratio).
 *
 * <p>Thread-safety: immutable and thread-safe; share one instance per rate pair. Each {@link ResamplerStream} from
 * {@link #newStream()} is for one thread at a time.
 */
public final class Resampler {
    /** Passband edge, as a fraction of the lower of the two Nyquist frequencies. */
    public static final double PASSBAND_EDGE = ResamplerKernel.PASSBAND_EDGE;
    /** Stopband edge, as a fraction of the lower of the two Nyquist frequencies. */
    public static final double STOPBAND_EDGE = ResamplerKernel.STOPBAND_EDGE;
    /** Design stopband attenuation, in dB. */
    public static final double STOPBAND_ATTENUATION_DB = ResamplerKernel.ATTENUATION_DB;
    /** Largest supported ratio between the two rates, either way ({@code orig_sr / target_sr} or its inverse). */
    public static final int MAX_RATIO = 1024;

    private static final int CACHE_SIZE = 8;
    private static final Map<Long, Resampler> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Resampler> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private final int origSr;
    private final int targetSr;
    private final double ratio;
    /** L and M of the whole conversion. */
    private final int up;
    private final int down;
    /** Null when the rates are equal (pass-through); with two stages, the second (an integer decimation). */
    private final ResamplerKernel kernel;
    /** Null for one stage; else the first stage, from origSr up to {@link #intermediateSr}. */
    private final ResamplerKernel firstStage;
    private final int intermediateSr;

    private Resampler(int origSr, int targetSr) {
        this.origSr = origSr;
        this.targetSr = targetSr;
        this.ratio = (double) targetSr / origSr; // librosa: float(target_sr) / orig_sr
        int g = gcd(origSr, targetSr);
        up = targetSr / g;
        down = origSr / g;
        TwoStages two = twoStages(origSr, targetSr); // null for equal rates too
        if (origSr == targetSr) {
            kernel = firstStage = null;
            intermediateSr = 0;
        } else if (two != null) {
            firstStage = two.first;
            kernel = two.second;
            intermediateSr = two.rate;
        } else {
            kernel = new ResamplerKernel(up, down);
            firstStage = null;
            intermediateSr = 0;
        }
    }

    /** A two-stage plan: up to {@code rate} with {@code first}, then the integer decimation {@code second}. */
    private record TwoStages(int rate, ResamplerKernel first, ResamplerKernel second) {
    }

    /**
     * The two-stage plan of a fractional downsampling, or null for one stage: through the smallest multiple {@code
     * D * targetSr} (D = 2..8) at or above origSr whose first stage, up from origSr, can have a wide transition band
     * (its stopband must start by {@code D * targetSr - targetSr / 2}) and whose second stage runs as FFT blocks.
     * 44.1 kHz to 16 kHz goes through 48 kHz: a 14-tap first stage, then 48 kHz to 16 kHz, instead of 518 taps.
     */
    private static TwoStages twoStages(int origSr, int targetSr) {
        int g = gcd(origSr, targetSr);
        if (targetSr >= origSr || targetSr / g == 1) {
            return null; // upsampling, or already an integer decimation
        }
        // the first stage passes the output band and cuts at the input's Nyquist frequency, so its stopband starts
        // at origSr - pass; nothing may fold into the output band: that must be at most mid - targetSr / 2
        double pass = PASSBAND_EDGE * targetSr / 2.0;
        for (int d = 2; d <= 8; d++) {
            long mid = (long) d * targetSr;
            if (mid < origSr || origSr - pass > mid - targetSr / 2.0 || mid > Integer.MAX_VALUE) {
                continue;
            }
            int g1 = gcd(origSr, (int) mid);
            if ((long) (mid / g1) * 32 > ResamplerKernel.MAX_BANK_COEFFICIENTS) {
                continue; // the first stage's rows would be interpolated: keep one stage
            }
            ResamplerKernel second = new ResamplerKernel(1, d);
            if (second.fftDecimation == null) {
                return null;
            }
            ResamplerKernel first = new ResamplerKernel((int) (mid / g1), origSr / g1, 0.5,
                    2 * Math.PI * (origSr - 2 * pass) / origSr, true);
            return new TwoStages((int) mid, first, second);
        }
        return null;
    }

    /**
     * Returns the resampler for a pair of rates; the filter is designed on first use and the last few pairs are cached.
     *
     * @param origSr   input rate in Hz, 1 to {@value PcmFormat#MAX_SAMPLE_RATE}
     * @param targetSr output rate in Hz, 1 to {@value PcmFormat#MAX_SAMPLE_RATE}
     * @return the resampler
     * @throws IllegalArgumentException if a rate is out of range, or the rates are more than {@value #MAX_RATIO}
     *                                  times apart
     */
    public static Resampler of(int origSr, int targetSr) {
        checkRate(origSr, "orig_sr");
        checkRate(targetSr, "target_sr");
        if ((long) targetSr * MAX_RATIO < origSr || (long) origSr * MAX_RATIO < targetSr) {
            throw new IllegalArgumentException("Cannot resample from orig_sr=" + origSr + " to target_sr=" + targetSr
                    + ": rates more than " + MAX_RATIO + " times apart are not supported");
        }
        Long key = ((long) origSr << 32) | targetSr;
        synchronized (CACHE) {
            Resampler cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Designed outside the lock: a race only designs the same filter twice.
        Resampler made = new Resampler(origSr, targetSr);
        synchronized (CACHE) {
            Resampler cached = CACHE.putIfAbsent(key, made);
            return cached != null ? cached : made;
        }
    }

    /**
     * {@code librosa.resample(y, orig_sr=origSr, target_sr=targetSr)} in one call: same as
     * {@code of(origSr, targetSr).resample(y)}.
     *
     * @param y        mono samples at {@code origSr}; not modified
     * @param origSr   their rate in Hz
     * @param targetSr the rate wanted in Hz
     * @return {@link #outputLength(long) outputLength(y.length)} samples at {@code targetSr}; a copy of {@code y} when
     * the rates are equal
     * @throws IllegalArgumentException as {@link #of(int, int)} and {@link #resample(float[])}
     */
    public static float[] resample(float[] y, int origSr, int targetSr) {
        return of(origSr, targetSr).resample(y);
    }

    /**
     * Resamples a whole signal (the batch form of {@link #newStream()}: identical samples).
     *
     * @param y mono samples at {@link #origSr()}; not modified
     * @return {@link #outputLength(long) outputLength(y.length)} samples at {@link #targetSr()}, time-aligned with
     * {@code y}; a copy of {@code y} when the rates are equal
     * @throws IllegalArgumentException if {@code y} is empty, holds NaN or infinite values, or the output would not
     *                                  fit in a Java array
     */
    public float[] resample(float[] y) {
        SignalChecks.audio(y, "y");
        long n = outputLength(y.length);
        if (n > SignalChecks.MAX_ARRAY) {
            throw new IllegalArgumentException("Resampling " + y.length + " samples from " + origSr + " Hz to "
                    + targetSr + " Hz would give " + n + " samples, more than a Java array holds; use newStream()");
        }
        if (kernel == null) {
            return y.clone();
        }
        float[] out = new float[(int) n];
        ResamplerStream stream = newStream();
        int written = stream.process(y, 0, y.length, out, 0);
        written += stream.flush(out, written);
        if (written != n) {
            throw new IllegalStateException("bug: resampler wrote " + written + " samples, " + n + " expected");
        }
        return out;
    }

    /**
     * A window of the resampled signal, computed from the input around it only: the same samples as
     * {@code Arrays.copyOfRange(resample(Arrays.copyOf(y, length)), outFrom, outFrom + outCount)} up to the rounding
     * of the FFT blocks (see {@link ResamplerStream}), which here sit at other positions: within a few float32 ulps
     * of the signal's peak (identical where no FFT block is involved). The input read starts {@link #taps()} samples
     * before the window's first output, at a multiple of {@link #downFactor()} (so that the outputs keep their
     * positions), and ends {@link #taps()} samples after its last one, or at {@code length}.
     *
     * @param y        mono samples at {@link #origSr()}; only {@code y[0 .. length)} is the signal; not modified
     * @param length   number of samples of the signal, at least 1
     * @param outFrom  index of the first output sample wanted, in the resampled signal
     * @param outCount number of output samples wanted, at least 0
     * @return {@code outCount} samples at {@link #targetSr()}
     * @throws IllegalArgumentException if {@code length} is not in {@code 1..y.length}, the window is not inside
     *                                  {@code [0, outputLength(length))}, or the samples read are not finite
     */
    public float[] resampleRange(float[] y, int length, long outFrom, int outCount) {
        java.util.Objects.requireNonNull(y, "y");
        if (length < 1 || length > y.length) {
            throw new IllegalArgumentException("length=" + length + " must be 1.." + y.length);
        }
        long total = outputLength(length);
        if (outFrom < 0 || outCount < 0 || outFrom + outCount > total) {
            throw new IllegalArgumentException("window [" + outFrom + ", " + (outFrom + outCount)
                    + ") is not inside the " + total + " resampled samples");
        }
        if (kernel == null) {
            SignalChecks.finite(y, (int) outFrom, outCount, "y");
            return java.util.Arrays.copyOfRange(y, (int) outFrom, (int) (outFrom + outCount));
        }
        int margin = taps();
        // first input: taps() before the window's first output position (outFrom * M / L), down to a multiple of M
        long first = Math.max(0, (outFrom * down / up - margin) / down * down);
        long end = Math.min(length, ceilDiv((outFrom + outCount) * down, up) + margin);
        long skip = first / down * up; // output index of the stream's first sample
        int inCount = (int) (end - first);
        SignalChecks.finite(y, (int) first, inCount, "y");
        float[] out = new float[(int) outputLength(inCount)];
        ResamplerStream stream = newStream();
        int written = stream.process(y, (int) first, inCount, out, 0);
        stream.flush(out, written);
        return java.util.Arrays.copyOfRange(out, (int) (outFrom - skip), (int) (outFrom - skip + outCount));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** {@return a new stream over this filter, for audio arriving in chunks; not thread-safe} */
    public ResamplerStream newStream() {
        return new ResamplerStream(this);
    }

    /**
     * librosa's output length for {@code inputLength} samples: {@code ceil(inputLength * (target_sr / orig_sr))} in
     * double arithmetic, exactly as {@code librosa.resample} computes it (which for some lengths is one more than the
     * exact rational ceiling, e.g. when {@code inputLength * target_sr / orig_sr} is an integer the double product can
     * land just above it).
     *
     * @param inputLength number of input samples, at least 0
     * @return number of output samples
     * @throws IllegalArgumentException if {@code inputLength} is negative
     */
    public long outputLength(long inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("inputLength=" + inputLength + " must be >= 0");
        }
        if (kernel == null) {
            return inputLength;
        }
        return (long) Math.ceil(inputLength * ratio);
    }

    /**
     * An upper bound, whatever the stream's state, of the samples one {@link ResamplerStream#process} call writes for
     * {@code inputLength} input samples: {@code floor(inputLength * L / M) + 1}, or, for an integer decimation
     * computed in FFT blocks (see {@link ResamplerStream}), {@code ceil(inputLength / B) * B / M} with {@code B}
     * input samples per block (a call may complete a block); with two stages, the second stage's bound applied to
     * the first's. Size output buffers with it.
     *
     * @param inputLength number of input samples, at least 0
     * @return the bound
     * @throws IllegalArgumentException if {@code inputLength} is negative
     */
    public long maxOutputLength(int inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("inputLength=" + inputLength + " must be >= 0");
        }
        if (kernel == null) {
            return inputLength;
        }
        return maxOutputLength(kernel, firstStage == null ? inputLength : maxOutputLength(firstStage, inputLength));
    }

    /** {@link #maxOutputLength(int)} of one stage. */
    static long maxOutputLength(ResamplerKernel k, long inputLength) {
        FftDecimation fft = k.fftDecimation;
        if (fft != null) {
            return (inputLength + fft.length - 1) / fft.length * fft.perBlock;
        }
        return inputLength * k.up / k.down + 1;
    }

    /**
     * An upper bound of the samples {@link ResamplerStream#flush(float[], int)} writes:
     * {@code floor(halfWidth * L / M) + 2} ({@code halfWidth = taps() / 2}), or {@code floor(N / M) + 2} for an
     * integer decimation in FFT blocks of {@code N} inputs; 0 when the rates are equal.
     *
     * @return the bound
     */
    public int maxFlushLength() {
        if (kernel == null) {
            return 0;
        }
        int last = kernel.fftDecimation != null ? kernel.fftDecimation.size / kernel.down + 2
                : (int) ((long) kernel.halfWidth * kernel.up / kernel.down + 2);
        // two stages: plus what the first stage's tail (2 halfWidth1 inputs around the end) adds to the second
        return firstStage == null ? last
                : last + (int) (2L * firstStage.halfWidth * firstStage.up / firstStage.down / kernel.down) + 2;
    }

    /** {@return the input rate in Hz} */
    public int origSr() {
        return origSr;
    }

    /** {@return the output rate in Hz} */
    public int targetSr() {
        return targetSr;
    }

    /** {@return {@code L = target_sr / gcd(orig_sr, target_sr)}, the number of filter phases} */
    public int upFactor() {
        return up;
    }

    /** {@return {@code M = orig_sr / gcd(orig_sr, target_sr)}} */
    public int downFactor() {
        return down;
    }

    /**
     * {@return the number of input samples each output sample is computed from (0 when the rates are equal; with two
     * stages, the span of input samples the second stage's taps reach through the first)}
     */
    public int taps() {
        if (kernel == null) {
            return 0;
        }
        return firstStage == null ? kernel.taps
                : (int) Math.ceil((double) kernel.taps * origSr / intermediateSr) + firstStage.taps;
    }

    /** {@return the filter of a one-stage conversion, or the second stage of two; null when the rates are equal} */
    ResamplerKernel kernel() {
        return kernel;
    }

    /** {@return the first of two stages, or null} */
    ResamplerKernel firstStage() {
        return firstStage;
    }

    @Override
    public String toString() {
        return "Resampler[" + origSr + " Hz -> " + targetSr + " Hz, L=" + upFactor() + ", M=" + downFactor()
                + ", taps=" + taps() + (kernel != null && !kernel.precomputed() ? ", interpolated rows" : "")
                + (firstStage != null ? ", two stages via " + intermediateSr + " Hz (" + firstStage.taps + " + "
                + kernel.taps + " taps)" : "") + "]";
    }

    private static void checkRate(int sr, String name) {
        if (sr < 1 || sr > PcmFormat.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException(name + "=" + sr + " must be 1.." + PcmFormat.MAX_SAMPLE_RATE + " Hz");
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
