package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Batch;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.SpectrumKernel;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.ChromaFilterBank;
import io.github.ser4j.dsp.spectral.Tuning;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Collections;
import java.util.Map;

/**
 * {@code librosa.feature.chroma_stft(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, ..., norm=norm, tuning=tuning,
 * n_chroma=n_chroma)}: the power spectrogram projected on {@link ChromaFilterBank} and normalised per frame (default
 * {@code norm=inf}: maximum 1).
 *
 * <p>With {@code tuning=null} (librosa's default {@code tuning=None}) the tuning is estimated from the whole
 * spectrogram exactly as librosa does ({@link Tuning#estimate}); an explicit tuning skips that (and is required by
 * {@link #newStream()}).
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class ChromaStft extends SpectralFeature {
    private final int nChroma;
    private final Double tuning;
    private final Double norm;
    private final float[][] fixedFilters;

    private ChromaStft(Builder b) {
        super(b.sr, b.stft());
        nChroma = Checks.atLeast(b.nChroma, 1, "n_chroma");
        tuning = b.tuning;
        norm = checkNorm(b.norm);
        if (stft.nFft() < 2) {
            throw new IllegalArgumentException("n_fft=" + stft.nFft() + " must be >= 2 for chroma");
        }
        fixedFilters = tuning == null ? null : ChromaFilterBank.weights(sr, stft.nFft(), nChroma, tuning);
    }

    private static Double checkNorm(Double norm) {
        if (norm != null && !(norm > 0)) {
            throw new IllegalArgumentException("norm=" + norm + " must be > 0 (or infinite), or null for None");
        }
        return norm;
    }

    /**
     * {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512, n_chroma=12,
     * tuning=None, norm=inf})}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFrom(this).nChroma(nChroma).tuning(tuning).norm(norm);
    }

    /**
     * {@code librosa.feature.chroma_stft(S=S, sr=sr, n_fft=n_fft, n_chroma=n_chroma, tuning=tuning, norm=norm)}.
     *
     * @param power   power spectrogram, {@code (1 + n_fft/2) x frames}; not modified
     * @param sr      sample rate in Hz
     * @param nFft    FFT length
     * @param nChroma number of chroma bins
     * @param tuning  tuning in fractions of a chroma bin, or null to estimate it as librosa does
     * @param norm    per-frame norm order ({@code Double.POSITIVE_INFINITY} = max), or null for none
     * @return {@code n_chroma x frames}
     * @throws IllegalArgumentException for a spectrogram of the wrong shape or bad values
     */
    public static float[][] chroma(float[][] power, double sr, int nFft, int nChroma, Double tuning, Double norm) {
        checkNorm(norm);
        int bins = nFft / 2 + 1;
        int frames = checkSpectrogram(power, bins, "Chroma");
        double t = tuning != null ? tuning : Tuning.estimate(power, sr, nChroma);
        float[][] filters = ChromaFilterBank.weights(sr, nFft, nChroma, t);
        float[][] out = new float[nChroma][frames];
        float[] column = new float[bins];
        float[] chroma = new float[nChroma];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < bins; k++) {
                column[k] = power[k][f];
            }
            project(filters, column, norm, chroma);
            for (int c = 0; c < nChroma; c++) {
                out[c][f] = chroma[c];
            }
        }
        return out;
    }

    /** chroma = normalize(filters @ column) with float32 intermediate as librosa's einsum. */
    static void project(float[][] filters, float[] column, Double norm, float[] out) {
        int n = filters.length;
        for (int c = 0; c < n; c++) {
            float[] w = filters[c];
            double sum = 0;
            for (int k = 0; k < column.length; k++) {
                sum += (double) w[k] * column[k];
            }
            out[c] = (float) sum;
        }
        if (norm == null) {
            return;
        }
        double p = norm;
        double length = 0;
        for (int c = 0; c < n; c++) {
            double mag = Math.abs((double) out[c]);
            if (Double.isInfinite(p)) {
                length = Math.max(length, mag);
            } else {
                length += p == 1.0 ? mag : p == 2.0 ? mag * mag : Math.pow(mag, p);
            }
        }
        if (!Double.isInfinite(p)) {
            length = p == 1.0 ? length : p == 2.0 ? Math.sqrt(length) : Math.pow(length, 1.0 / p);
        }
        if (length < Float.MIN_NORMAL) {
            length = 1.0;
        }
        for (int c = 0; c < n; c++) {
            out[c] = (float) (out[c] / length);
        }
    }

    @Override
    public String name() {
        return "chroma_stft";
    }

    /** {@return sr, n_fft, hop_length, win_length, window, center, pad_mode, n_chroma, tuning, norm} */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = baseParameters();
        m.put("n_chroma", nChroma);
        m.put("tuning", tuning);
        m.put("norm", norm);
        return Collections.unmodifiableMap(m);
    }

    /** {@return {@code n_chroma}} */
    @Override
    public int featureCount() {
        return nChroma;
    }

    /** {@return the tuning, or null when it is estimated per signal} */
    public Double tuning() {
        return tuning;
    }

    @Override
    public FeatureMatrix extract(float[] samples) {
        int frames = checkedFrames(samples);
        int bins = stft.binCount();
        SpectrumKernel spectrum = Kernels.spectrum(stft, 2.0);
        float[][] filters = fixedFilters;
        if (filters == null) {
            float[][] power = Batch.toRows(runRowMajor(samples, frames, spectrum), bins);
            return FeatureMatrix.of(chroma(power, sr, stft.nFft(), nChroma, null, norm));
        }
        return FeatureMatrix.of(nChroma, frames, runRowMajor(samples, frames, new Kernel(spectrum, filters)));
    }

    /**
     * @return a stream yielding exactly the columns of {@link #extract(float[])}
     * @throws IllegalStateException if the tuning is estimated (it depends on the whole signal)
     */
    public FeatureStream newStream() {
        if (fixedFilters == null) {
            throw new IllegalStateException("tuning=None is estimated from the whole signal and cannot stream; set an"
                    + " explicit tuning (e.g. 0.0)");
        }
        return new StreamEngine(framer, new Kernel(Kernels.spectrum(stft, 2.0), fixedFilters));
    }

    private final class Kernel implements FrameProcessor {
        private final SpectrumKernel spectrum;
        private final float[][] filters;
        private final float[] column;

        Kernel(SpectrumKernel spectrum, float[][] filters) {
            this.spectrum = spectrum;
            this.filters = filters;
            this.column = new float[spectrum.outputSize()];
        }

        @Override
        public int outputSize() {
            return nChroma;
        }

        @Override
        public void process(float[] src, int offset, float[] out) {
            spectrum.process(src, offset, column);
            project(filters, column, norm, out);
        }
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends SpectralBuilder<Builder> {
        private int nChroma = 12;
        private Double tuning;
        private Double norm = Double.POSITIVE_INFINITY;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param nChroma number of chroma bins (default 12)
         * @return this
         */
        public Builder nChroma(int nChroma) {
            this.nChroma = nChroma;
            return this;
        }

        /**
         * @param tuning deviation from A440 in fractions of a chroma bin; null (default) estimates it per signal as
         *               librosa does
         * @return this
         */
        public Builder tuning(Double tuning) {
            this.tuning = tuning;
            return this;
        }

        /**
         * @param norm per-frame normalisation order (default {@code Double.POSITIVE_INFINITY}: divide by the maximum);
         *             null for none
         * @return this
         */
        public Builder norm(Double norm) {
            this.norm = norm;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public ChromaStft build() {
            return new ChromaStft(this);
        }
    }
}
