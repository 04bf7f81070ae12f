package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Map;
import java.util.Objects;

/**
 * {@code librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
 * window=window, center=center, pad_mode=pad_mode, power=power, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
 * norm=norm)}, optionally followed by {@code librosa.power_to_db} ({@link Builder#decibels(PowerToDb)}).
 *
 * <pre>{@code
 * MelSpectrogram mel = MelSpectrogram.builder().sr(16000).nFft(512).hopLength(160).nMels(64).build();
 * FeatureMatrix m = mel.extract(samples);   // 64 x frames, float32 values as librosa's
 * }</pre>
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class MelSpectrogram extends SpectralFeature {
    private final double power;
    private final MelFilterBank bank;
    private final MelKernel.SparseBank sparseBank;
    private final PowerToDb decibels;

    private MelSpectrogram(Builder b) {
        super(b.sr, b.stft());
        power = b.checkedPower();
        bank = b.filterBank(stft);
        sparseBank = new MelKernel.SparseBank(bank);
        decibels = b.decibels;
    }

    /**
     * {@return a builder with librosa's defaults ({@code sr=22050, n_fft=2048, hop_length=512, n_mels=128, power=2,
     *      fmin=0, fmax=sr/2, htk=False, norm='slaney'})}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this extractor's parameters} */
    public Builder toBuilder() {
        Builder b = new Builder().copyFrom(this).copyMel(power, bank);
        b.decibels = decibels;
        return b;
    }

    /** {@return {@code "melspectrogram"}, or {@code "power_to_db(melspectrogram)"} with decibels} */
    @Override
    public String name() {
        return decibels == null ? "melspectrogram" : "power_to_db(melspectrogram)";
    }

    /**
     * {@return sr, n_fft, hop_length, win_length, window, center, pad_mode, power, n_mels, fmin, fmax, htk, norm, and
     *        with decibels also ref, amin, top_db}
     */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = baseParameters();
        p.put("power", power);
        Map<String, Object> mel = bank.parameters();
        mel.remove("sr");
        mel.remove("n_fft");
        p.putAll(mel);
        if (decibels != null) {
            p.putAll(decibels.parameters());
        }
        return java.util.Collections.unmodifiableMap(p);
    }

    /** {@return the number of mel bands} */
    @Override
    public int featureCount() {
        return bank.nMels();
    }

    /** {@return the mel filter bank} */
    public MelFilterBank filterBank() {
        return bank;
    }

    /** {@return the dB conversion, or null for power (or magnitude) values} */
    public PowerToDb decibels() {
        return decibels;
    }

    /**
     * @param samples mono samples at {@link #sampleRate()}; not modified
     * @return {@code n_mels x frames}
     * @throws IllegalArgumentException if the samples are empty or not finite, or shorter than n_fft with
     *                                  center=false
     */
    @Override
    public FeatureMatrix extract(float[] samples) {
        int frames = checkedFrames(samples);
        boolean local = decibels == null || decibels.isFrameLocal();
        MelKernel kernel = new MelKernel(Kernels.spectrum(stft, power), sparseBank, local ? decibels : null);
        int nMels = bank.nMels();
        float[] columns = kernel.columns(framer, samples, frames);
        if (!local) {
            // element-wise apart from the maximum over all values: the layout does not matter
            decibels.applyInPlace(columns, columns.length);
        }
        float[] data = new float[columns.length];
        for (int t = 0; t < frames; t++) {
            for (int m = 0, i = t, c = t * nMels; m < nMels; m++, i += frames) {
                data[i] = columns[c + m];
            }
        }
        return FeatureMatrix.of(nMels, frames, data);
    }

    /**
     * @return a stream yielding exactly the columns of {@link #extract(float[])}
     * @throws IllegalStateException with decibels using {@code ref=max} or {@code top_db}, which need the whole
     *                               signal
     */
    public FeatureStream newStream() {
        if (decibels != null && !decibels.isFrameLocal()) {
            throw new IllegalStateException("power_to_db with ref=max or top_db depends on the whole signal and cannot"
                    + " stream exactly; use a scalar ref and topDb(null)");
        }
        return new StreamEngine(framer, new MelKernel(Kernels.spectrum(stft, power), sparseBank, decibels));
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends MelBuilder<Builder> {
        private PowerToDb decibels;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param norm mel filter normalisation (default {@link MelNorm#SLANEY})
         * @return this
         */
        public Builder norm(MelNorm norm) {
            this.melNorm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /**
         * @param decibels convert the result with {@code librosa.power_to_db} (default null: no conversion)
         * @return this
         */
        public Builder decibels(PowerToDb decibels) {
            this.decibels = decibels;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public MelSpectrogram build() {
            return new MelSpectrogram(this);
        }
    }
}
