package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.internal.Checks;

import java.util.Collections;
import java.util.Map;

/**
 * {@code librosa.feature.spectral_bandwidth(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, ..., norm=norm, p=p)}:
 * {@code (sum_k S[k] |f[k] - centroid|^p)^(1/p)} per frame, with {@code S} normalised to unit sum when
 * {@code norm=True} (default), {@code p=2} by default. librosa returns float64; {@link #extract} rounds to float.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class SpectralBandwidth extends SpectralStatistic {
    private final double p;
    private final boolean norm;

    private SpectralBandwidth(Builder b) {
        super(b.sr, b.stft());
        p = Checks.positive(b.p, "p");
        norm = b.norm;
    }

    /** {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512, norm=True, p=2})} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFrom(this).p(p).norm(norm);
    }

    /**
     * {@code librosa.feature.spectral_bandwidth(S=S, sr=sr, n_fft=n_fft, p=p, norm=norm)}.
     *
     * @param magnitude magnitude spectrogram, {@code (1 + n_fft/2) x frames}, non-negative; not modified
     * @param sr        sample rate in Hz
     * @param nFft      FFT length
     * @param p         order, {@code > 0}
     * @param norm      normalise each frame to unit sum first
     * @return the bandwidth of each frame in Hz
     * @throws IllegalArgumentException if the shape does not match n_fft or a value is negative or not finite
     */
    public static double[] bandwidth(float[][] magnitude, double sr, int nFft, double p, boolean norm) {
        Checks.positive(p, "p");
        return perColumn(magnitude, sr, nFft, "Spectral bandwidth",
                (column, freq, scratch) -> SpectralShape.bandwidth(column, freq, p, norm, scratch));
    }

    @Override
    public String name() {
        return "spectral_bandwidth";
    }

    /** {@return sr, n_fft, hop_length, win_length, window, center, pad_mode, norm, p} */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = baseParameters();
        m.put("norm", norm);
        m.put("p", p);
        return Collections.unmodifiableMap(m);
    }

    @Override
    double statistic(float[] magnitude, float[] scratch) {
        return SpectralShape.bandwidth(magnitude, freq, p, norm, scratch);
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends SpectralBuilder<Builder> {
        private double p = 2.0;
        private boolean norm = true;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param p order of the deviation power, {@code > 0} (default 2)
         * @return this
         */
        public Builder p(double p) {
            this.p = p;
            return this;
        }

        /**
         * @param norm normalise each frame's spectrum to unit sum (default true)
         * @return this
         */
        public Builder norm(boolean norm) {
            this.norm = norm;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public SpectralBandwidth build() {
            return new SpectralBandwidth(this);
        }
    }
}
