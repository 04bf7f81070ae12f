package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Batch;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Short-time Fourier transform magnitudes, {@code np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop_length,
 * win_length=win_length, window=window, center=center, pad_mode=pad_mode)) ** power}.
 *
 * <p>Results are float32 as librosa's for float32 input: each frame is multiplied by the float64 window and transformed
 * in float64, the complex result is rounded to complex64, and its float32 magnitude (and power) is taken. With
 * {@code center=true} the padding is librosa's, including its separate padding of the head and tail of the signal.
 *
 * <p>Bad input throws {@link IllegalArgumentException}: empty or non-finite samples, and (as librosa) a signal shorter
 * than {@code n_fft} with {@code center=false}. With {@code center=true} such a signal works (librosa warns
 * "n_fft is too large"; this class logs that once per {@code n_fft}).
 *
 * <p>Thread-safety: immutable and thread-safe; the arrays it returns are new.
 */
public final class Stft {
    private final int nFft;
    private final int hopLength;
    private final int winLength;
    private final Window window;
    private final boolean center;
    private final PadMode padMode;

    private Stft(Builder b) {
        nFft = Checks.atLeast(b.nFft, 1, "n_fft");
        winLength = b.winLength == 0 ? nFft : b.winLength;
        if (winLength < 1 || winLength > nFft) {
            throw new IllegalArgumentException("win_length=" + b.winLength + " must be in [1, n_fft=" + nFft + "]");
        }
        hopLength = b.hopLength == 0 ? winLength / 4 : b.hopLength;
        if (hopLength < 1) {
            throw new IllegalArgumentException("hop_length=" + (b.hopLength == 0 ? hopLength + " (win_length // 4)"
                    : b.hopLength) + " must be a positive integer");
        }
        window = b.window;
        center = b.center;
        padMode = b.padMode;
        window.values(winLength); // validates the length of explicit window values
    }

    /** {@return a builder with librosa's defaults ({@code n_fft=2048}, hann, centred, constant padding)} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().nFft(nFft).hopLength(hopLength).winLength(winLength).window(window).center(center)
                .padMode(padMode);
    }

    /**
     * {@code np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop_length)) ** 2} with the other parameters at their
     * librosa defaults.
     *
     * @param y         mono samples; not modified
     * @param nFft      FFT length
     * @param hopLength hop length
     * @return {@code (1 + n_fft/2) x frames} power spectrogram
     */
    public static float[][] power(float[] y, int nFft, int hopLength) {
        return builder().nFft(nFft).hopLength(hopLength).build().power(y);
    }

    /**
     * {@code np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop_length))} with the other parameters at their librosa
     * defaults.
     *
     * @param y         mono samples; not modified
     * @param nFft      FFT length
     * @param hopLength hop length
     * @return {@code (1 + n_fft/2) x frames} magnitude spectrogram
     */
    public static float[][] magnitude(float[] y, int nFft, int hopLength) {
        return builder().nFft(nFft).hopLength(hopLength).build().magnitude(y);
    }

    /** {@return {@code n_fft}} */
    public int nFft() {
        return nFft;
    }

    /** {@return {@code hop_length}} */
    public int hopLength() {
        return hopLength;
    }

    /** {@return {@code win_length}} */
    public int winLength() {
        return winLength;
    }

    /** {@return the window} */
    public Window window() {
        return window;
    }

    /** {@return {@code center}} */
    public boolean center() {
        return center;
    }

    /** {@return {@code pad_mode}} */
    public PadMode padMode() {
        return padMode;
    }

    /** {@return the number of frequency bins, {@code 1 + n_fft/2}} */
    public int binCount() {
        return 1 + nFft / 2;
    }

    /**
     * @param sampleCount number of samples
     * @return the number of frames for that many samples
     * @throws IllegalArgumentException where librosa raises ({@code center=false} and fewer samples than n_fft)
     */
    public int frameCount(int sampleCount) {
        return Kernels.framer(this).frameCount(sampleCount, "n_fft");
    }

    /**
     * @param y mono samples; not modified
     * @return {@code np.abs(stft(y))}, {@code (1 + n_fft/2) x frames}
     */
    public float[][] magnitude(float[] y) {
        return spectrogram(y, 1.0);
    }

    /**
     * @param y mono samples; not modified
     * @return {@code np.abs(stft(y)) ** 2}, {@code (1 + n_fft/2) x frames}
     */
    public float[][] power(float[] y) {
        return spectrogram(y, 2.0);
    }

    /**
     * @param y     mono samples; not modified
     * @param power exponent, {@code > 0} (1 magnitude, 2 power)
     * @return {@code np.abs(stft(y)) ** power}, {@code (1 + n_fft/2) x frames}
     * @throws IllegalArgumentException for bad samples or power
     */
    public float[][] spectrogram(float[] y, double power) {
        Checks.positive(power, "power");
        return Batch.toRows(spectrogramRowMajor(y, power), binCount());
    }

    /**
     * Same as {@link #spectrogram(float[], double)}, as one row-major array of {@code (1 + n_fft/2) * frames} values.
     *
     * @param y     mono samples; not modified
     * @param power exponent, {@code > 0}
     * @return row-major spectrogram
     */
    public float[] spectrogramRowMajor(float[] y, double power) {
        Checks.audio(y, "y");
        Checks.positive(power, "power");
        var framer = Kernels.framer(this);
        int frames = framer.frameCount(y.length, "n_fft");
        Kernels.warnIfShort(this, y.length);
        return Batch.run(framer, Kernels.spectrum(this, power), y, frames);
    }

    /**
     * @param power exponent, {@code > 0} (1 magnitude, 2 power)
     * @return a stream yielding the columns of {@link #spectrogram(float[], double)}
     */
    public FeatureStream newStream(double power) {
        Checks.positive(power, "power");
        return new StreamEngine(Kernels.framer(this), Kernels.spectrum(this, power));
    }

    /** {@return librosa-named parameters: n_fft, hop_length, win_length, window, center, pad_mode} */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n_fft", nFft);
        p.put("hop_length", hopLength);
        p.put("win_length", winLength);
        p.put("window", window.name());
        p.put("center", center);
        p.put("pad_mode", padMode.librosaName());
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stft s && nFft == s.nFft && hopLength == s.hopLength && winLength == s.winLength
                && window.equals(s.window) && center == s.center && padMode == s.padMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nFft, hopLength, winLength, window, center, padMode);
    }

    @Override
    public String toString() {
        return "Stft" + parameters();
    }

    /** Builder with librosa's parameter names and defaults. Not thread-safe. */
    public static final class Builder {
        private int nFft = 2048;
        private int hopLength;
        private int winLength;
        private Window window = Window.hann();
        private boolean center = true;
        private PadMode padMode = PadMode.CONSTANT;

        private Builder() {
        }

        /**
         * @param nFft FFT length, any size {@code >= 1} (default 2048)
         * @return this
         */
        public Builder nFft(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /**
         * @param hopLength samples between frames, {@code >= 1} (default {@code win_length // 4}); 0 restores the
         *                  default
         * @return this
         */
        public Builder hopLength(int hopLength) {
            if (hopLength < 0) {
                throw new IllegalArgumentException("hop_length=" + hopLength + " must be a positive integer");
            }
            this.hopLength = hopLength;
            return this;
        }

        /**
         * @param winLength window length, {@code 1 .. n_fft} (default n_fft; a shorter window is centred in zeros);
         *                  0 restores the default
         * @return this
         */
        public Builder winLength(int winLength) {
            if (winLength < 0) {
                throw new IllegalArgumentException("win_length=" + winLength + " must be a positive integer");
            }
            this.winLength = winLength;
            return this;
        }

        /**
         * @param window analysis window (default {@link Window#hann()})
         * @return this
         */
        public Builder window(Window window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * @param center pad so that frame {@code t} is centred on sample {@code t * hop_length} (default true)
         * @return this
         */
        public Builder center(boolean center) {
            this.center = center;
            return this;
        }

        /**
         * @param padMode padding used when centred (default {@link PadMode#CONSTANT})
         * @return this
         */
        public Builder padMode(PadMode padMode) {
            this.padMode = Objects.requireNonNull(padMode, "padMode");
            return this;
        }

        /**
         * @return the STFT configuration
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public Stft build() {
            return new Stft(this);
        }
    }
}
