package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.Stft;

/**
 * The mel parameters shared by {@link MelSpectrogram.Builder} and {@link Mfcc.Builder}, on top of the STFT ones, with
 * librosa's names and defaults: {@code power=2, n_mels=128, fmin=0, fmax=sr/2, htk=False} and Slaney normalisation
 * (set by {@code norm} for the mel spectrogram and {@code melNorm} for MFCC, where librosa's {@code norm} is the DCT's).
 *
 * <p>Not thread-safe; subclasses are the builders of this package.
 *
 * @param <B> the concrete builder type
 */
public abstract class MelBuilder<B extends MelBuilder<B>> extends SpectralBuilder<B> {
    double power = 2.0;
    int nMels = 128;
    double fmin = 0.0;
    double fmax = Double.NaN;
    boolean htk;
    MelNorm melNorm = MelNorm.SLANEY;

    MelBuilder() {
    }

    /**
     * @param power exponent of the magnitude (default 2: power; 1: energy)
     * @return this
     */
    public B power(double power) {
        this.power = power;
        return self();
    }

    /**
     * @param nMels number of mel bands (default 128)
     * @return this
     */
    public B nMels(int nMels) {
        this.nMels = nMels;
        return self();
    }

    /**
     * @param fmin lowest frequency in Hz (default 0)
     * @return this
     */
    public B fmin(double fmin) {
        this.fmin = fmin;
        return self();
    }

    /**
     * @param fmax highest frequency in Hz (default sr/2; above Nyquist is accepted as librosa does);
     *             {@code Double.NaN} restores the default
     * @return this
     */
    public B fmax(double fmax) {
        this.fmax = fmax;
        return self();
    }

    /**
     * @param htk HTK mel formula instead of Slaney's (default false)
     * @return this
     */
    public B htk(boolean htk) {
        this.htk = htk;
        return self();
    }

    /** {@return {@link #power(double) power}, checked} */
    double checkedPower() {
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("power=" + power + " must be a finite number > 0");
        }
        return power;
    }

    /** {@return the filter bank of these parameters for the extractor's STFT} */
    MelFilterBank filterBank(Stft stft) {
        return MelFilterBank.builder().sr(sr).nFft(stft.nFft()).nMels(nMels).fmin(fmin).fmax(fmax).htk(htk)
                .norm(melNorm).build();
    }

    /** Copies an extractor's power and filter-bank parameters (for {@code toBuilder()}). */
    B copyMel(double power, MelFilterBank bank) {
        this.power = power;
        nMels = bank.nMels();
        fmin = bank.fmin();
        fmax = bank.fmax();
        htk = bank.htk();
        melNorm = bank.norm();
        return self();
    }
}
