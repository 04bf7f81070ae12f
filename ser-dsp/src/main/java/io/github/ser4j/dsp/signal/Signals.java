package io.github.ser4j.dsp.signal;

import java.util.Objects;

/**
 * Whole-signal utilities on float samples: mono down-mix ({@code librosa.to_mono}), pre-emphasis
 * ({@code librosa.effects.preemphasis}), and peak / RMS normalisation to a level in dBFS.
 *
 * <p>Inputs are never modified: each method returns a new array, or writes into a caller-provided one (the forms with
 * an {@code out} argument, for hot paths). Bad input throws {@link IllegalArgumentException} naming the argument: empty
 * signals, NaN or infinite samples, out-of-range parameters.
 *
 * <p>dBFS here is {@code 20 log10(level)} with 1.0 as full scale, for the peak ({@code max |y|}) and for the RMS
 * ({@code sqrt(mean(y^2))}) alike, so a full-scale sine has an RMS of -3.01 dBFS.
 *
 * <p>Thread-safety: stateless; all methods are thread-safe (as long as callers do not share an output array).
 */
public final class Signals {
    /** librosa's default pre-emphasis coefficient, {@code coef=0.97}. */
    public static final double DEFAULT_PREEMPHASIS_COEF = 0.97;
    /**
     * Default silence floor of the normalisations, in dBFS: a signal whose peak (or RMS) is below it, or exactly
     * zero, is returned unchanged instead of being amplified to the target.
     */
    public static final double DEFAULT_SILENCE_DBFS = -100.0;
    /** Lowest accepted target or silence level, in dBFS. */
    public static final double MIN_DBFS = -300.0;

    private Signals() {
    }

    // ---------------------------------------------------------------------------------------------- down-mix

    /**
     * {@code librosa.to_mono(y)} for {@code y} of shape {@code (channels, n)}: the mean over channels of each sample,
     * summed in float and divided as numpy does (float32 result, equal to librosa's to the last bit).
     *
     * @param y one array per channel, all of the same non-zero length; not modified
     * @return the mono signal; a copy of {@code y[0]} when there is one channel
     * @throws IllegalArgumentException if there are no channels, the channels are empty or of different lengths, or a
     *                                  sample is NaN or infinite
     */
    public static float[] toMono(float[][] y) {
        Objects.requireNonNull(y, "y");
        if (y.length == 0) {
            throw new IllegalArgumentException("y has no channels: at least one is needed");
        }
        int n = -1;
        for (int c = 0; c < y.length; c++) {
            SignalChecks.audio(y[c], "y[" + c + "]");
            if (n >= 0 && y[c].length != n) {
                throw new IllegalArgumentException("y[" + c + "] has " + y[c].length + " samples, y[0] has " + n
                        + ": all channels must have the same length");
            }
            n = y[c].length;
        }
        int channels = y.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float sum = y[0][i];
            for (int c = 1; c < channels; c++) {
                sum += y[c][i];
            }
            out[i] = mean(sum, channels);
        }
        return out;
    }

    /**
     * Down-mix of interleaved frames (the layout an {@link io.github.ser4j.api.AudioSource} delivers), with the same
     * arithmetic as {@link #toMono(float[][])}.
     *
     * @param interleaved samples, {@code channels} per frame; not modified
     * @param channels    samples per frame, at least 1
     * @return one sample per frame; a copy when {@code channels == 1}
     * @throws IllegalArgumentException if {@code interleaved} is empty or not a whole number of frames, channels is
     *                                  below 1, or a sample is NaN or infinite
     */
    public static float[] toMono(float[] interleaved, int channels) {
        SignalChecks.audio(interleaved, "interleaved");
        checkChannels(channels);
        if (interleaved.length % channels != 0) {
            throw new IllegalArgumentException("interleaved has " + interleaved.length
                    + " samples, not a whole number of frames of " + channels + " channels");
        }
        float[] out = new float[interleaved.length / channels];
        toMono(interleaved, 0, out.length, channels, out, 0);
        return out;
    }

    /**
     * Allocation-free down-mix of interleaved frames into a caller-provided array; does not check for NaN.
     *
     * @param interleaved samples, {@code channels} per frame; not modified
     * @param offset      index of the first sample of the first frame
     * @param frames      number of frames
     * @param channels    samples per frame, at least 1
     * @param out         receives {@code frames} samples from {@code outOffset}; may not overlap the input
     * @param outOffset   index in {@code out} of the first sample written
     * @throws IllegalArgumentException if a range is outside its array or {@code channels} is below 1
     */
    public static void toMono(float[] interleaved, int offset, int frames, int channels, float[] out, int outOffset) {
        Objects.requireNonNull(interleaved, "interleaved");
        checkChannels(channels);
        if (frames < 0 || (long) frames * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frames=" + frames + " must be >= 0 and fit in an array");
        }
        SignalChecks.range(interleaved.length, offset, frames * channels, "interleaved");
        SignalChecks.room(out, outOffset, frames, "out");
        if (channels == 1) {
            System.arraycopy(interleaved, offset, out, outOffset, frames);
            return;
        }
        int in = offset;
        for (int f = 0; f < frames; f++) {
            float sum = interleaved[in];
            for (int c = 1; c < channels; c++) {
                sum += interleaved[in + c];
            }
            out[outOffset + f] = mean(sum, channels);
            in += channels;
        }
    }

    /** numpy's mean of float32: float32 sum, divided by the integer count in double, rounded back to float32. */
    private static float mean(float sum, int count) {
        return (float) ((double) sum / count);
    }

    private static void checkChannels(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels=" + channels + " must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------- pre-emphasis

    /**
     * {@code librosa.effects.preemphasis(y)}: {@code y_out[n] = y[n] - 0.97 * y[n-1]}, with librosa's initial
     * condition {@code zi = 2 * y[0] - y[1]} (linear extrapolation), so {@code y_out[0] = y[0] + zi}.
     *
     * @param y signal, at least 2 samples; not modified
     * @return the filtered signal (float32 arithmetic like librosa's, equal to the last bit)
     * @throws IllegalArgumentException if {@code y} has fewer than 2 samples or a NaN or infinite sample
     */
    public static float[] preemphasis(float[] y) {
        return preemphasis(y, DEFAULT_PREEMPHASIS_COEF);
    }

    /**
     * {@code librosa.effects.preemphasis(y, coef=coef)} with librosa's default {@code zi = 2 * y[0] - y[1]}.
     *
     * @param y    signal, at least 2 samples; not modified
     * @param coef pre-emphasis coefficient, finite (librosa: {@code 0 <= coef < 1} for a high-pass, not enforced);
     *             rounded to float like librosa's {@code b = [1, -coef]} in the signal's dtype
     * @return the filtered signal
     * @throws IllegalArgumentException if {@code y} has fewer than 2 samples or a NaN or infinite sample, or
     *                                  {@code coef} is not finite
     */
    public static float[] preemphasis(float[] y, double coef) {
        SignalChecks.audio(y, "y");
        if (y.length < 2) {
            throw new IllegalArgumentException("y has 1 sample: preemphasis without zi needs at least 2, since "
                    + "librosa's default zi = 2*y[0] - y[1]; pass zi explicitly");
        }
        return preemphasis(y, coef, preemphasisZi(y, 0, y.length));
    }

    /**
     * {@code librosa.effects.preemphasis(y, coef=coef, zi=zi)}: {@code y_out[0] = y[0] + zi} and
     * {@code y_out[n] = y[n] - coef * y[n-1]}.
     *
     * @param y    signal, at least 1 sample; not modified
     * @param coef pre-emphasis coefficient, finite
     * @param zi   initial filter state, finite (rounded to float like librosa's); 0 for a filter at rest, or the
     *             {@code zf} of the previous chunk to continue a signal
     * @return the filtered signal
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample, or a parameter is not
     *                                  finite
     */
    public static float[] preemphasis(float[] y, double coef, double zi) {
        SignalChecks.audio(y, "y");
        float[] out = new float[y.length];
        preemphasis(y, 0, y.length, coef, zi, out, 0);
        return out;
    }

    /**
     * Allocation-free {@code librosa.effects.preemphasis(y[offset:offset+length], coef=coef, zi=zi, return_zf=True)}:
     * writes {@code y_out} to {@code out} and returns {@code zf}, the final state, which is the {@code zi} that
     * continues the filter on the next chunk (chunks filtered this way equal the whole signal filtered at once). Does
     * not check for NaN.
     *
     * @param y         signal; not modified
     * @param offset    index of the first sample
     * @param length    number of samples, at least 1
     * @param coef      pre-emphasis coefficient, finite
     * @param zi        initial state, finite
     * @param out       receives {@code length} samples from {@code outOffset}; may be {@code y} itself with the same
     *                  offset (in place), but not an otherwise overlapping range
     * @param outOffset index in {@code out} of the first sample written
     * @return {@code zf = -coef * y[offset + length - 1]} (in float)
     * @throws IllegalArgumentException if a range is outside its array, {@code length} is below 1, or a parameter is
     *                                  not finite
     */
    public static float preemphasis(float[] y, int offset, int length, double coef, double zi, float[] out,
                                    int outOffset) {
        Objects.requireNonNull(y, "y");
        if (length < 1) {
            throw new IllegalArgumentException("length=" + length + " must be >= 1");
        }
        SignalChecks.range(y.length, offset, length, "y");
        SignalChecks.room(out, outOffset, length, "out");
        if (!Double.isFinite(coef)) {
            throw new IllegalArgumentException("coef=" + coef + " must be finite");
        }
        if (!Double.isFinite(zi)) {
            throw new IllegalArgumentException("zi=" + zi + " must be finite");
        }
        // scipy.signal.lfilter([1, -coef], [1], y, zi=zi) in float32: y_out[n] = y[n] + (b1 * y[n-1]).
        float b1 = (float) -coef;
        float previous = y[offset];
        out[outOffset] = previous + (float) zi;
        for (int i = 1; i < length; i++) {
            float x = y[offset + i];
            out[outOffset + i] = x + b1 * previous;
            previous = x;
        }
        return b1 * previous;
    }

    /**
     * librosa's default pre-emphasis initial state for a signal, {@code zi = 2 * y[0] - y[1]} (in float).
     *
     * @param y      signal; not modified
     * @param offset index of its first sample
     * @param length number of samples, at least 2
     * @return the initial state
     * @throws IllegalArgumentException if the range is outside {@code y} or shorter than 2
     */
    public static float preemphasisZi(float[] y, int offset, int length) {
        Objects.requireNonNull(y, "y");
        SignalChecks.range(y.length, offset, length, "y");
        if (length < 2) {
            throw new IllegalArgumentException("length=" + length + ": the default zi = 2*y[0] - y[1] needs 2 samples");
        }
        return 2f * y[offset] - y[offset + 1];
    }

    // ------------------------------------------------------------------------------------------ normalisation

    /**
     * @param y signal; not modified
     * @return {@code 20 log10(max |y|)}, negative infinity for silence
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample
     */
    public static double peakDbfs(float[] y) {
        SignalChecks.audio(y, "y");
        return 20 * Math.log10(peak(y));
    }

    /**
     * @param y signal; not modified
     * @return {@code 20 log10(sqrt(mean(y^2)))} (computed in double), negative infinity for silence
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample
     */
    public static double rmsDbfs(float[] y) {
        SignalChecks.audio(y, "y");
        return 20 * Math.log10(rms(y));
    }

    /**
     * Scales {@code y} so that its peak {@code max |y|} is at {@code targetDbfs}; silence (a peak below
     * {@link #DEFAULT_SILENCE_DBFS}) is returned unchanged.
     *
     * @param y          signal; not modified
     * @param targetDbfs wanted peak level in dBFS, {@value #MIN_DBFS} to 0 (0 dBFS: peak 1.0)
     * @return a new, scaled array
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample, or the level is out of
     *                                  range
     */
    public static float[] normalizePeak(float[] y, double targetDbfs) {
        return normalizePeak(y, targetDbfs, DEFAULT_SILENCE_DBFS);
    }

    /**
     * Scales {@code y} so that its peak {@code max |y|} is at {@code targetDbfs}.
     *
     * @param y           signal; not modified
     * @param targetDbfs  wanted peak level in dBFS, {@value #MIN_DBFS} to 0
     * @param silenceDbfs signals whose peak is below this level (or zero) are returned unchanged (copied) rather than
     *                    amplified; {@value #MIN_DBFS} to 0
     * @return a new array
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample, or a level is out of
     *                                  range
     */
    public static float[] normalizePeak(float[] y, double targetDbfs, double silenceDbfs) {
        SignalChecks.audio(y, "y");
        checkDbfs(targetDbfs, "targetDbfs");
        checkDbfs(silenceDbfs, "silenceDbfs");
        return scaleTo(y, peak(y), targetDbfs, silenceDbfs);
    }

    /**
     * Scales {@code y} so that its RMS {@code sqrt(mean(y^2))} is at {@code targetDbfs}; silence (an RMS below
     * {@link #DEFAULT_SILENCE_DBFS}) is returned unchanged. Peaks may exceed 1.0 afterwards: nothing is limited.
     *
     * @param y          signal; not modified
     * @param targetDbfs wanted RMS level in dBFS, {@value #MIN_DBFS} to 0 (e.g. -20)
     * @return a new, scaled array
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample, or the level is out of
     *                                  range
     */
    public static float[] normalizeRms(float[] y, double targetDbfs) {
        return normalizeRms(y, targetDbfs, DEFAULT_SILENCE_DBFS);
    }

    /**
     * Scales {@code y} so that its RMS {@code sqrt(mean(y^2))} is at {@code targetDbfs}. Peaks may exceed 1.0
     * afterwards: nothing is limited.
     *
     * @param y           signal; not modified
     * @param targetDbfs  wanted RMS level in dBFS, {@value #MIN_DBFS} to 0
     * @param silenceDbfs signals whose RMS is below this level (or zero) are returned unchanged (copied) rather than
     *                    amplified; {@value #MIN_DBFS} to 0
     * @return a new array
     * @throws IllegalArgumentException if {@code y} is empty or has a NaN or infinite sample, or a level is out of
     *                                  range
     */
    public static float[] normalizeRms(float[] y, double targetDbfs, double silenceDbfs) {
        SignalChecks.audio(y, "y");
        checkDbfs(targetDbfs, "targetDbfs");
        checkDbfs(silenceDbfs, "silenceDbfs");
        return scaleTo(y, rms(y), targetDbfs, silenceDbfs);
    }

    private static float[] scaleTo(float[] y, double level, double targetDbfs, double silenceDbfs) {
        if (level == 0 || 20 * Math.log10(level) < silenceDbfs) {
            return y.clone();
        }
        double gain = Math.pow(10, targetDbfs / 20) / level;
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) (y[i] * gain);
        }
        return out;
    }

    private static double peak(float[] y) {
        float peak = 0;
        for (float v : y) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    private static double rms(float[] y) {
        double sum = 0;
        for (float v : y) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / y.length);
    }

    private static void checkDbfs(double dbfs, String name) {
        if (!(dbfs >= MIN_DBFS && dbfs <= 0)) {
            throw new IllegalArgumentException(name + "=" + dbfs + " must be a level in dBFS from " + MIN_DBFS
                    + " to 0 (e.g. -1 for a peak of 0.89, -20 for speech RMS)");
        }
    }
}
