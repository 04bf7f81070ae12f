package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.Frequencies;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Collections;
import java.util.Map;

/**
 * {@code librosa.feature.spectral_centroid(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
 * window=window, center=center, pad_mode=pad_mode)}: the magnitude-weighted mean frequency of each frame, in Hz
 * (0 for a silent frame). librosa returns float64; {@link #extract} rounds to float, {@link #centroid} keeps double.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class SpectralCentroid extends SpectralFeature {
    private final double[] freq;

    private SpectralCentroid(Builder b) {
        super(b.sr, b.stft());
        freq = Frequencies.fftFrequencies(sr, stft.nFft());
    }

    /** @return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512}) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these parameters */
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
        double[] freq = Frequencies.fftFrequencies(Checks.positive(sr, "sr"), nFft);
        int frames = checkSpectrogram(magnitude, freq.length, "Spectral centroid");
        double[] out = new double[frames];
        float[] column = new float[freq.length];
        float[] scratch = new float[freq.length];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < freq.length; k++) {
                column[k] = magnitude[k][t];
            }
            out[t] = SpectralShape.centroid(column, freq, scratch);
        }
        return out;
    }

    static int checkSpectrogram(float[][] s, int bins, String what) {
        int frames = Checks.matrix(s, bins, "S");
        for (float[] row : s) {
            for (float v : row) {
                if (v < 0) {
                    throw new IllegalArgumentException(what + " is only defined with non-negative energies");
                }
            }
        }
        return frames;
    }

    @Override
    public String name() {
        return "spectral_centroid";
    }

    /** @return sr, n_fft, hop_length, win_length, window, center, pad_mode */
    @Override
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(baseParameters());
    }

    /** @return 1 */
    @Override
    public int featureCount() {
        return 1;
    }

    @Override
    public FeatureMatrix extract(float[] samples) {
        return run(samples, new Kernel());
    }

    /** @return a stream yielding exactly the columns of {@link #extract(float[])} */
    public FeatureStream newStream() {
        return new StreamEngine(framer, new Kernel());
    }

    private final class Kernel extends SpectralShape.Kernel {
        Kernel() {
            super(Kernels.spectrum(stft, 1.0));
        }

        @Override
        double statistic(float[] magnitude) {
            return SpectralShape.centroid(magnitude, freq, scratch);
        }
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
