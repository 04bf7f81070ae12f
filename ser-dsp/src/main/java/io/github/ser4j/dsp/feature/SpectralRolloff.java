package io.github.ser4j.dsp.feature;

import java.util.Collections;
import java.util.Map;

/**
 * {@code librosa.feature.spectral_rolloff(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, ...,
 * roll_percent=roll_percent)}: per frame, the centre frequency of the first bin at which the cumulative magnitude (a
 * float32 running sum, as numpy's {@code cumsum}) reaches {@code roll_percent} (default 0.85) of the total. A silent
 * frame gives 0 Hz. The result is always a bin centre frequency.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class SpectralRolloff extends SpectralStatistic {
    private final double rollPercent;

    private SpectralRolloff(Builder b) {
        super(b.sr, b.stft());
        rollPercent = checkRollPercent(b.rollPercent);
    }

    private static double checkRollPercent(double r) {
        if (!(r > 0 && r < 1)) {
            throw new IllegalArgumentException("roll_percent=" + r + " must lie in the range (0, 1)");
        }
        return r;
    }

    /** {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512, roll_percent=0.85})} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFrom(this).rollPercent(rollPercent);
    }

    /**
     * {@code librosa.feature.spectral_rolloff(S=S, sr=sr, n_fft=n_fft, roll_percent=roll_percent)}.
     *
     * @param magnitude   magnitude spectrogram, {@code (1 + n_fft/2) x frames}, non-negative; not modified
     * @param sr          sample rate in Hz
     * @param nFft        FFT length
     * @param rollPercent fraction of the energy, in {@code (0, 1)}
     * @return the roll-off frequency of each frame in Hz
     * @throws IllegalArgumentException if the shape does not match n_fft or a value is negative or not finite
     */
    public static double[] rolloff(float[][] magnitude, double sr, int nFft, double rollPercent) {
        checkRollPercent(rollPercent);
        return perColumn(magnitude, sr, nFft, "Spectral rolloff",
                (column, freq, scratch) -> SpectralShape.rolloff(column, freq, rollPercent));
    }

    @Override
    public String name() {
        return "spectral_rolloff";
    }

    /** {@return sr, n_fft, hop_length, win_length, window, center, pad_mode, roll_percent} */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = baseParameters();
        m.put("roll_percent", rollPercent);
        return Collections.unmodifiableMap(m);
    }

    @Override
    double statistic(float[] magnitude, float[] scratch) {
        return SpectralShape.rolloff(magnitude, freq, rollPercent);
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends SpectralBuilder<Builder> {
        private double rollPercent = 0.85;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param rollPercent fraction of the energy, in {@code (0, 1)} (default 0.85)
         * @return this
         */
        public Builder rollPercent(double rollPercent) {
            this.rollPercent = rollPercent;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public SpectralRolloff build() {
            return new SpectralRolloff(this);
        }
    }
}
