package io.github.ser4j.dsp.feature;

import java.util.Collections;
import java.util.Map;

/**
 * {@code librosa.feature.spectral_centroid(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
 * window=window, center=center, pad_mode=pad_mode)}: the magnitude-weighted mean frequency of each frame, in Hz
 * (0 for a silent frame). librosa returns float64; {@link #extract} rounds to float, {@link #centroid} keeps double.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class SpectralCentroid extends SpectralStatistic {
    private SpectralCentroid(Builder b) {
        super(b.sr, b.stft());
    }

    /** {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512})} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFrom(this);
    }

    /**
     * {@code librosa.feature.spectral_centroid(S=S, sr=sr, n_fft=n_fft)}.
     *
     * @param magnitude magnitude spectrogram, {@code (1 + n_fft/2) x frames}, non-negative; not modified
     * @param sr        sample rate in Hz
     * @param nFft      FFT length
     * @return the centroid of each frame in Hz
     * @throws IllegalArgumentException if the shape does not match n_fft or a value is negative or not finite
     */
    public static double[] centroid(float[][] magnitude, double sr, int nFft) {
        return perColumn(magnitude, sr, nFft, "Spectral centroid", SpectralShape::centroid);
    }

    @Override
    public String name() {
        return "spectral_centroid";
    }

    /** {@return sr, n_fft, hop_length, win_length, window, center, pad_mode} */
    @Override
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(baseParameters());
    }

    @Override
    double statistic(float[] magnitude, float[] scratch) {
        return SpectralShape.centroid(magnitude, freq, scratch);
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends SpectralBuilder<Builder> {
        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public SpectralCentroid build() {
            return new SpectralCentroid(this);
        }
    }
}
