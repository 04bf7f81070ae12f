package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.WarnOnce;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mel filter bank, {@code librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
 * norm=norm)}, with float32 weights computed as librosa does (double arithmetic, same order, then rounded).
 *
 * <p>Like librosa, {@code fmax} above the Nyquist frequency is accepted (the filters then extend past the last FFT
 * bin), and configurations in which some filters have no non-zero weight are accepted: librosa warns "Empty filters
 * detected in mel frequency basis"; this class logs that warning once per configuration (SLF4J, logger
 * {@code io.github.ser4j.dsp.spectral.MelFilterBank}) and reports it by {@link #hasEmptyFilters()}. Such filters yield
 * zero power (and {@code 10 log10(amin)} dB).
 *
 * <p>Thread-safety: immutable.
 */
public final class MelFilterBank {
    private final double sr;
    private final int nFft;
    private final int nMels;
    private final double fmin;
    private final double fmax;
    private final boolean htk;
    private final MelNorm norm;
    private final float[][] weights;
    private final int[] start;
    private final int[] end;
    private final boolean emptyFilters;

    private MelFilterBank(Builder b) {
        sr = b.sr;
        nFft = b.nFft;
        nMels = b.nMels;
        fmin = b.fmin;
        fmax = Double.isNaN(b.fmax) ? sr / 2 : b.fmax;
        htk = b.htk;
        norm = b.norm;
        Checks.positive(sr, "sr");
        Checks.atLeast(nFft, 1, "n_fft");
        Checks.atLeast(nMels, 1, "n_mels");
        if (!(fmin >= 0) || Double.isInfinite(fmin)) {
            throw new IllegalArgumentException("fmin must be a finite frequency >= 0 Hz, got " + fmin);
        }
        if (!(fmax > fmin) || Double.isInfinite(fmax)) {
            throw new IllegalArgumentException("fmax must be finite and > fmin=" + fmin + ", got " + fmax);
        }
        int bins = 1 + nFft / 2;
        double[] fftFreqs = Frequencies.fftFrequencies(sr, nFft);
        double[] melF = Frequencies.melFrequencies(nMels + 2, fmin, fmax, htk);
        weights = new float[nMels][bins];
        start = new int[nMels];
        end = new int[nMels];
        boolean empty = false;
        for (int i = 0; i < nMels; i++) {
            double fdiffLo = melF[i + 1] - melF[i];
            double fdiffHi = melF[i + 2] - melF[i + 1];
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            float max = 0;
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double lower = -(melF[i] - fftFreqs[k]) / fdiffLo;
                double upper = (melF[i + 2] - fftFreqs[k]) / fdiffHi;
                float w = (float) Math.max(0, Math.min(lower, upper));
                if (norm == MelNorm.SLANEY) {
                    // weights (float32) *= enorm (float64): product in double, stored as float32
                    w = (float) (w * enorm);
                }
                weights[i][k] = w;
                if (w != 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
                max = Math.max(max, w);
            }
            start[i] = first < 0 ? 0 : first;
            end[i] = first < 0 ? 0 : last + 1;
            if (!(melF[i] == 0 || max > 0)) {
                empty = true;
            }
        }
        emptyFilters = empty;
        if (empty) {
            WarnOnce.warn(MelFilterBank.class, "empty-mel:" + describe(),
                    "Empty filters detected in mel frequency basis ({}). Some channels will produce empty responses."
                            + " Try increasing your sampling rate (and fmax) or reducing n_mels.", describe());
        }
    }

    /** {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, n_mels=128, fmin=0, fmax=sr/2})} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this bank's parameters} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sr = sr;
        b.nFft = nFft;
        b.nMels = nMels;
        b.fmin = fmin;
        b.fmax = fmax;
        b.htk = htk;
        b.norm = norm;
        return b;
    }

    /** {@return the sample rate in Hz} */
    public double sr() {
        return sr;
    }

    /** {@return the FFT length} */
    public int nFft() {
        return nFft;
    }

    /** {@return the number of mel bands} */
    public int nMels() {
        return nMels;
    }

    /** {@return the lowest frequency in Hz} */
    public double fmin() {
        return fmin;
    }

    /** {@return the highest frequency in Hz ({@code sr/2} unless set)} */
    public double fmax() {
        return fmax;
    }

    /** {@return true for the HTK mel formula} */
    public boolean htk() {
        return htk;
    }

    /** {@return the filter normalisation} */
    public MelNorm norm() {
        return norm;
    }

    /** {@return the number of FFT bins, {@code 1 + n_fft/2}} */
    public int binCount() {
        return 1 + nFft / 2;
    }

    /** {@return a copy of the weights, {@code n_mels x (1 + n_fft/2)}, as librosa's float32 matrix} */
    public float[][] weights() {
        float[][] copy = new float[nMels][];
        for (int i = 0; i < nMels; i++) {
            copy[i] = weights[i].clone();
        }
        return copy;
    }

    /**
     * @param band mel band
     * @return the first FFT bin with a non-zero weight in that band (0 for an empty band)
     */
    public int bandStart(int band) {
        return start[Objects.checkIndex(band, nMels)];
    }

    /**
     * @param band mel band
     * @return one past the last FFT bin with a non-zero weight in that band ({@link #bandStart(int)} for an empty band)
     */
    public int bandEnd(int band) {
        return end[Objects.checkIndex(band, nMels)];
    }

    /** {@return true if some filter has no non-zero weight (librosa's "Empty filters detected" condition)} */
    public boolean hasEmptyFilters() {
        return emptyFilters;
    }

    /**
     * Applies the filter bank to one spectrum frame: {@code out[m] = sum_k weights[m][k] * spectrum[k]}, accumulated in
     * double and rounded to float. Allocation-free.
     *
     * @param spectrum {@link #binCount()} values (power or magnitude)
     * @param out      receives {@link #nMels()} values
     */
    public void applyFrame(float[] spectrum, float[] out) {
        for (int m = 0; m < nMels; m++) {
            float[] w = weights[m];
            double sum = 0;
            for (int k = start[m], e = end[m]; k < e; k++) {
                sum += (double) w[k] * spectrum[k];
            }
            out[m] = (float) sum;
        }
    }

    /**
     * {@code mel_basis @ S}.
     *
     * @param spectrogram {@code (1 + n_fft/2) x frames} spectrogram; not modified
     * @return {@code n_mels x frames}
     * @throws IllegalArgumentException if the number of rows is not {@link #binCount()}
     */
    public float[][] apply(float[][] spectrogram) {
        int frames = Checks.matrix(spectrogram, binCount(), "S");
        float[][] out = new float[nMels][frames];
        float[] column = new float[binCount()];
        float[] mel = new float[nMels];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < column.length; k++) {
                column[k] = spectrogram[k][t];
            }
            applyFrame(column, mel);
            for (int m = 0; m < nMels; m++) {
                out[m][t] = mel[m];
            }
        }
        return out;
    }

    /** {@return librosa-named parameters: sr, n_fft, n_mels, fmin, fmax, htk, norm} */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sr", sr);
        p.put("n_fft", nFft);
        p.put("n_mels", nMels);
        p.put("fmin", fmin);
        p.put("fmax", fmax);
        p.put("htk", htk);
        p.put("norm", norm == MelNorm.SLANEY ? "slaney" : null);
        return p;
    }

    private String describe() {
        return "sr=" + sr + ", n_fft=" + nFft + ", n_mels=" + nMels + ", fmin=" + fmin + ", fmax=" + fmax + ", htk="
                + htk + ", norm=" + norm;
    }

    @Override
    public String toString() {
        return "MelFilterBank[" + describe() + "]";
    }

    /** Builder with librosa's parameter names and defaults. Not thread-safe. */
    public static final class Builder {
        private double sr = 22050;
        private int nFft = 2048;
        private int nMels = 128;
        private double fmin = 0.0;
        private double fmax = Double.NaN;
        private boolean htk = false;
        private MelNorm norm = MelNorm.SLANEY;

        private Builder() {
        }

        /**
         * @param sr sample rate in Hz (default 22050)
         * @return this
         */
        public Builder sr(double sr) {
            this.sr = sr;
            return this;
        }

        /**
         * @param nFft FFT length (default 2048)
         * @return this
         */
        public Builder nFft(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /**
         * @param nMels number of mel bands (default 128)
         * @return this
         */
        public Builder nMels(int nMels) {
            this.nMels = nMels;
            return this;
        }

        /**
         * @param fmin lowest frequency in Hz (default 0)
         * @return this
         */
        public Builder fmin(double fmin) {
            this.fmin = fmin;
            return this;
        }

        /**
         * @param fmax highest frequency in Hz (default {@code sr/2}); {@code Double.NaN} restores the default
         * @return this
         */
        public Builder fmax(double fmax) {
            this.fmax = fmax;
            return this;
        }

        /**
         * @param htk true for the HTK mel formula (default false: Slaney)
         * @return this
         */
        public Builder htk(boolean htk) {
            this.htk = htk;
            return this;
        }

        /**
         * @param norm filter normalisation (default {@link MelNorm#SLANEY})
         * @return this
         */
        public Builder norm(MelNorm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /**
         * @return the filter bank
         * @throws IllegalArgumentException if a parameter is out of range (sr or n_fft or n_mels not positive, fmin
         *                                  negative, fmax not above fmin)
         */
        public MelFilterBank build() {
            return new MelFilterBank(this);
        }
    }
}
