package io.github.ser4j.dsp.denoise;

import java.util.Objects;

/**
 * Noise reduction by spectral gating, with the parameters of the Python {@code noisereduce} package: each STFT bin is
 * kept when it rises above a noise threshold and attenuated otherwise, through a mask smoothed over frequency and time.
 *
 * <ul>
 *   <li><b>Stationary</b> ({@link Builder#noiseProfile(NoiseProfile)}): the threshold of each bin is the mean plus
 *       {@code n_std_thresh_stationary} standard deviations of the noise's level in dB, from a noise clip or from the
 *       quietest frames of a recording ({@link NoiseProfile}); the mask is 1 above it, 0 below.</li>
 *   <li><b>Non-stationary</b> (no profile, the default): the noise floor of each bin is the minimum, over the last
 *       {@code time_constant_s} seconds, of its magnitude smoothed by a one-pole filter (coefficient
 *       {@value #FLOOR_SMOOTHING}); the mask is {@code sigmoid(slope * ((|X| - floor) / floor - thresh))} with
 *       {@code thresh_n_mult_nonstationary} and {@code sigmoid_slope_nonstationary}. Unlike noisereduce's two-pass
 *       filter this estimate is causal, so it works on live audio.</li>
 * </ul>
 * Then {@code mask = mask * prop_decrease + (1 - prop_decrease)}, smoothed by noisereduce's triangular filter of
 * {@code 2 * int(freq_mask_smooth_hz / (sr / (n_fft / 2))) + 1} bins by
 * {@code 2 * int(time_mask_smooth_ms / (1000 * hop_length / sr)) + 1} frames, as a weighted mean of the mask values
 * inside the spectrogram (noisereduce's {@code fftconvolve(mode="same")} counts zeros outside it, which attenuates the
 * lowest and highest bins and the first and last frames even when nothing is gated), applied to the STFT (periodic
 * Hann window of {@code n_fft}, frames
 * every {@code hop_length}, the signal preceded by {@code n_fft - hop_length} zeros) and resynthesised by weighted
 * overlap-add. {@link #apply} and {@link #stream} give bit-identical samples.
 *
 * <p>Thread-safety: immutable; {@link #apply} may be called from any number of threads. Each {@link GateStream} is
 * used by one thread at a time.
 */
public final class SpectralGate {
    /** One-pole coefficient smoothing the magnitudes before the running minimum (non-stationary mode). */
    public static final double FLOOR_SMOOTHING = 0.3;

    final double propDecrease;
    final double nStdThreshStationary;
    final double freqMaskSmoothHz;
    final double timeMaskSmoothMs;
    final int nFft;
    final int hopLength;
    final double timeConstantS;
    final double threshNMultNonstationary;
    final double sigmoidSlopeNonstationary;
    final NoiseProfile profile;

    private SpectralGate(Builder b) {
        this.propDecrease = b.propDecrease;
        this.nStdThreshStationary = b.nStdThreshStationary;
        this.freqMaskSmoothHz = b.freqMaskSmoothHz;
        this.timeMaskSmoothMs = b.timeMaskSmoothMs;
        this.nFft = b.nFft;
        this.hopLength = b.hopLength > 0 ? b.hopLength : b.nFft / 4;
        this.timeConstantS = b.timeConstantS;
        this.threshNMultNonstationary = b.threshNMultNonstationary;
        this.sigmoidSlopeNonstationary = b.sigmoidSlopeNonstationary;
        this.profile = b.profile;
        if (nFft % hopLength != 0) {
            throw new IllegalArgumentException("n_fft (" + nFft + ") must be a multiple of hop_length (" + hopLength
                    + ")");
        }
        if (profile != null && (profile.nFft() != nFft || profile.hopLength() != hopLength)) {
            throw new IllegalArgumentException("the noise profile was measured with n_fft " + profile.nFft()
                    + ", hop_length " + profile.hopLength() + " but the gate uses " + nFft + ", " + hopLength);
        }
    }

    /** {@return a builder with noisereduce's defaults (non-stationary, n_fft 1024, hop 256)} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the non-stationary gate with every default} */
    public static SpectralGate nonStationary() {
        return builder().build();
    }

    /**
     * Denoises a whole signal.
     *
     * @param y          mono samples at {@code sampleRate}; not modified
     * @param sampleRate the rate of {@code y} in Hz (it sets the smoothing widths in bins and frames)
     * @return a new array of {@code y.length} samples, equal to what a {@link #stream} gives for the same input
     * @throws IllegalArgumentException if {@code y} holds NaN or infinite samples, or the rate is not positive, or a
     *                                  stationary profile was measured at another rate
     */
    public float[] apply(float[] y, int sampleRate) {
        Objects.requireNonNull(y, "y");
        GateStream s = stream(sampleRate);
        float[] out = new float[y.length];
        float[] buf = new float[s.maxOutput(y.length)];
        int n = s.process(y, 0, y.length, buf, 0);
        System.arraycopy(buf, 0, out, 0, n);
        float[] tail = new float[s.maxFinish()];
        int m = s.finish(tail, 0);
        System.arraycopy(tail, 0, out, n, m);
        if (n + m != y.length) {
            throw new AssertionError("spectral gate returned " + (n + m) + " samples for " + y.length);
        }
        return out;
    }

    /**
     * Opens a streaming gate: samples go in by {@link GateStream#process} in chunks of any size and come out, in
     * order, {@link GateStream#latencySamples()} later; {@link GateStream#finish(float[], int)} returns the rest.
     *
     * @param sampleRate the rate of the samples in Hz
     * @return a new stream
     * @throws IllegalArgumentException if the rate is not positive or differs from the noise profile's
     */
    public GateStream stream(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        if (profile != null && profile.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("the noise profile was measured at " + profile.sampleRate()
                    + " Hz, the audio is " + sampleRate + " Hz");
        }
        return new GateStream(this, sampleRate);
    }

    /** {@return the noise profile of the stationary mode, or null for the non-stationary mode} */
    public NoiseProfile noiseProfile() {
        return profile;
    }

    @Override
    public String toString() {
        return "SpectralGate[" + (profile == null ? "non-stationary" : "stationary") + ", prop_decrease="
                + propDecrease + ", n_fft=" + nFft + ", hop_length=" + hopLength + "]";
    }

    /**
     * Options of a {@link SpectralGate}, named after noisereduce's {@code reduce_noise} arguments.
     *
     * <p>Thread-safety: not thread-safe; {@link #build()} returns an immutable gate.
     */
    public static final class Builder {
        private double propDecrease = 1.0;
        private double nStdThreshStationary = 1.5;
        private double freqMaskSmoothHz = 500;
        private double timeMaskSmoothMs = 50;
        private int nFft = 1024;
        private int hopLength;
        private double timeConstantS = 2.0;
        private double threshNMultNonstationary = 2.0;
        private double sigmoidSlopeNonstationary = 10.0;
        private NoiseProfile profile;

        private Builder() {
        }

        /**
         * @param v {@code prop_decrease}: how much of the noise is removed, 0 (nothing) to 1 (default)
         * @return this builder
         */
        public Builder propDecrease(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("prop_decrease must be in [0, 1], got " + v);
            }
            propDecrease = v;
            return this;
        }

        /**
         * @param v {@code n_std_thresh_stationary}: standard deviations above the noise mean a bin must reach to be
         *          kept (stationary mode; default 1.5)
         * @return this builder
         */
        public Builder nStdThreshStationary(double v) {
            propFinite(v, "n_std_thresh_stationary");
            nStdThreshStationary = v;
            return this;
        }

        /**
         * @param v {@code freq_mask_smooth_hz}: width of the mask's smoothing over frequency (default 500; 0 = none)
         * @return this builder
         */
        public Builder freqMaskSmoothHz(double v) {
            nonNegative(v, "freq_mask_smooth_hz");
            freqMaskSmoothHz = v;
            return this;
        }

        /**
         * @param v {@code time_mask_smooth_ms}: width of the mask's smoothing over time (default 50; 0 = none); it
         *          adds about as much latency to a stream
         * @return this builder
         */
        public Builder timeMaskSmoothMs(double v) {
            nonNegative(v, "time_mask_smooth_ms");
            timeMaskSmoothMs = v;
            return this;
        }

        /**
         * @param v {@code n_fft}: STFT size and window length, an even number >= 16 (default 1024)
         * @return this builder
         */
        public Builder nFft(int v) {
            if (v < 16 || v % 2 != 0) {
                throw new IllegalArgumentException("n_fft must be even and >= 16, got " + v);
            }
            nFft = v;
            return this;
        }

        /**
         * @param v {@code hop_length}: samples between frames, dividing {@code n_fft} (default {@code n_fft / 4})
         * @return this builder
         */
        public Builder hopLength(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("hop_length must be positive, got " + v);
            }
            hopLength = v;
            return this;
        }

        /**
         * @param v {@code time_constant_s}: the window of the running minimum (non-stationary mode; default 2 s)
         * @return this builder
         */
        public Builder timeConstantS(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("time_constant_s must be positive, got " + v);
            }
            timeConstantS = v;
            return this;
        }

        /**
         * @param v {@code thresh_n_mult_nonstationary}: how many times the floor a bin must exceed it to be kept
         *          (non-stationary mode; default 2)
         * @return this builder
         */
        public Builder threshNMultNonstationary(double v) {
            propFinite(v, "thresh_n_mult_nonstationary");
            threshNMultNonstationary = v;
            return this;
        }

        /**
         * @param v {@code sigmoid_slope_nonstationary}: steepness of the non-stationary mask (default 10)
         * @return this builder
         */
        public Builder sigmoidSlopeNonstationary(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("sigmoid_slope_nonstationary must be positive, got " + v);
            }
            sigmoidSlopeNonstationary = v;
            return this;
        }

        /**
         * @param p the noise to gate against (stationary mode), or null for the non-stationary mode (default); its
         *          n_fft and hop length must be the gate's
         * @return this builder
         */
        public Builder noiseProfile(NoiseProfile p) {
            profile = p;
            return this;
        }

        /**
         * @return the gate
         * @throws IllegalArgumentException if {@code n_fft} is not a multiple of the hop or the profile's framing
         *                                  differs
         */
        public SpectralGate build() {
            return new SpectralGate(this);
        }

        private static void propFinite(double v, String name) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be finite, got " + v);
            }
        }

        private static void nonNegative(double v, String name) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + v);
            }
        }
    }
}
