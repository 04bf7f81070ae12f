package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.DctKernel;
import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.DctNorm;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * {@code librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc, dct_type=2, norm=norm, lifter=lifter, mel_norm=mel_norm,
 * **melspectrogram_kwargs)}: {@code dct(power_to_db(melspectrogram(...)))[:n_mfcc]}, optionally liftered.
 *
 * <pre>{@code
 * Mfcc mfcc = Mfcc.builder().sr(16000).nFft(512).hopLength(160).nMels(64).nMfcc(40).build();
 * FeatureMatrix m = mfcc.extract(samples);   // 40 x frames
 * }</pre>
 *
 * <p>{@code power_to_db} uses librosa's defaults ({@code ref=1.0, amin=1e-10, top_db=80}); {@link Builder#topDb}
 * changes {@code top_db} (an extension: librosa's {@code mfcc} has no such argument; {@code null} is None). The
 * {@code top_db} floor is relative to the maximum over the whole signal, so {@link #newStream()} requires
 * {@code topDb(null)}. Only {@code dct_type=2} is supported.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class Mfcc extends SpectralFeature {
    private static final double AMIN = 1e-10;
    private final double power;
    private final MelFilterBank bank;
    private final MelKernel.SparseBank sparseBank;
    private final int nMfcc;
    private final DctNorm dctNorm;
    private final double lifter;
    private final Double topDb;
    private final PowerToDb frameDb;
    private final PowerToDb fullDb;
    private final float[] lifterGain;
    private final DctKernel.Plan dctPlan;

    private Mfcc(Builder b) {
        super(b.sr, b.stft());
        power = b.checkedPower();
        bank = b.filterBank(stft);
        sparseBank = new MelKernel.SparseBank(bank);
        nMfcc = b.nMfcc;
        if (nMfcc < 1 || nMfcc > b.nMels) {
            throw new IllegalArgumentException("n_mfcc=" + nMfcc + " must be in [1, n_mels=" + b.nMels + "]");
        }
        dctNorm = b.dctNorm;
        lifter = b.lifter;
        if (!(lifter >= 0) || Double.isInfinite(lifter)) {
            throw new IllegalArgumentException("MFCC lifter=" + lifter + " must be a non-negative number");
        }
        topDb = b.topDb;
        frameDb = PowerToDb.builder().ref(1.0).amin(AMIN).topDb(null).build();
        fullDb = PowerToDb.builder().ref(1.0).amin(AMIN).topDb(topDb).build();
        dctPlan = new DctKernel.Plan(b.nMels, nMfcc, dctNorm);
        lifterGain = new float[nMfcc];
        for (int k = 0; k < nMfcc; k++) {
            if (lifter > 0) {
                // float32 as librosa: sin(pi * k / lifter) with k = 1..n_mfcc, then 1 + (lifter / 2) * LI
                float li = (float) Math.sin(((float) Math.PI * (float) (k + 1)) / (float) lifter);
                lifterGain[k] = 1f + (float) (lifter / 2) * li;
            } else {
                lifterGain[k] = 1f;
            }
        }
    }

    /**
     * {@return a builder with librosa's defaults ({@code sr=22050, n_mfcc=20, norm='ortho', lifter=0, n_fft=2048,
     *    hop_length=512, n_mels=128, top_db=80})}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this extractor's parameters} */
    public Builder toBuilder() {
        Builder b = new Builder().copyFrom(this).copyMel(power, bank);
        b.nMfcc = nMfcc;
        b.dctNorm = dctNorm;
        b.lifter = lifter;
        b.topDb = topDb;
        return b;
    }

    /** {@return {@code "mfcc"}} */
    @Override
    public String name() {
        return "mfcc";
    }

    /**
     * {@return sr, n_fft, hop_length, win_length, window, center, pad_mode, power, n_mels, fmin, fmax, htk, mel_norm,
     *        n_mfcc, dct_type, norm, lifter, top_db}
     */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = baseParameters();
        p.put("power", power);
        p.put("n_mels", bank.nMels());
        p.put("fmin", bank.fmin());
        p.put("fmax", bank.fmax());
        p.put("htk", bank.htk());
        p.put("mel_norm", bank.norm() == MelNorm.SLANEY ? "slaney" : null);
        p.put("n_mfcc", nMfcc);
        p.put("dct_type", 2);
        p.put("norm", dctNorm == DctNorm.ORTHO ? "ortho" : null);
        p.put("lifter", lifter);
        p.put("top_db", topDb);
        return Collections.unmodifiableMap(p);
    }

    /** {@return {@code n_mfcc}} */
    @Override
    public int featureCount() {
        return nMfcc;
    }

    /** {@return the mel filter bank} */
    public MelFilterBank filterBank() {
        return bank;
    }

    /**
     * @param samples mono samples at {@link #sampleRate()}; not modified
     * @return {@code n_mfcc x frames}
     * @throws IllegalArgumentException if the samples are empty or not finite, or shorter than n_fft with
     *                                  center=false
     */
    @Override
    public FeatureMatrix extract(float[] samples) {
        int frames = checkedFrames(samples);
        int nMels = bank.nMels();
        Kernel kernel = new Kernel();
        // pass 1: mel dB per frame, column-major (frame after frame), four frames at a time
        float[] db = kernel.mel.columns(framer, samples, frames);
        // top_db floor against the maximum of the whole signal
        fullDb.clamp(db, db.length);
        // pass 2: cepstrum per frame, scattered into the row-major result
        float[] out = new float[nMfcc * frames];
        float[] coefficients = new float[nMfcc];
        for (int t = 0; t < frames; t++) {
            kernel.cepstrum(db, t * nMels, coefficients);
            for (int k = 0, i = t; k < nMfcc; k++, i += frames) {
                out[i] = coefficients[k];
            }
        }
        return FeatureMatrix.of(nMfcc, frames, out);
    }

    /**
     * @return a stream yielding exactly the columns of {@link #extract(float[])}
     * @throws IllegalStateException unless built with {@code topDb(null)} (the top_db floor needs the whole signal)
     */
    public FeatureStream newStream() {
        if (topDb != null) {
            throw new IllegalStateException("top_db=" + topDb + " clamps against the maximum of the whole signal and"
                    + " cannot stream exactly; build with topDb(null) to stream MFCCs");
        }
        return new StreamEngine(framer, new Kernel());
    }

    /** Mel dB of one frame (frame-local part of power_to_db), then its liftered DCT. Not thread-safe. */
    private final class Kernel implements FrameProcessor {
        private final MelKernel mel = new MelKernel(Kernels.melSpectrum(stft, power), sparseBank, frameDb);
        private final DctKernel dct = new DctKernel(dctPlan);
        private final float[] db = new float[bank.nMels()];

        @Override
        public int outputSize() {
            return nMfcc;
        }

        @Override
        public void process(float[] src, int offset, float[] out) {
            mel.process(src, offset, db);
            cepstrum(db, 0, out);
        }

        void cepstrum(float[] dbValues, int offset, float[] out) {
            dct.apply(dbValues, offset, out);
            if (lifter > 0) {
                for (int k = 0; k < nMfcc; k++) {
                    out[k] *= lifterGain[k];
                }
            }
        }
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends MelBuilder<Builder> {
        private int nMfcc = 20;
        private DctNorm dctNorm = DctNorm.ORTHO;
        private double lifter;
        private Double topDb = 80.0;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param melNorm mel filter normalisation, librosa's {@code mel_norm} (default {@link MelNorm#SLANEY})
         * @return this
         */
        public Builder melNorm(MelNorm melNorm) {
            this.melNorm = Objects.requireNonNull(melNorm, "melNorm");
            return this;
        }

        /**
         * @param nMfcc number of coefficients, {@code 1 .. n_mels} (default 20)
         * @return this
         */
        public Builder nMfcc(int nMfcc) {
            this.nMfcc = nMfcc;
            return this;
        }

        /**
         * @param dctNorm DCT normalisation, librosa's {@code norm} (default {@link DctNorm#ORTHO})
         * @return this
         */
        public Builder dctNorm(DctNorm dctNorm) {
            this.dctNorm = Objects.requireNonNull(dctNorm, "dctNorm");
            return this;
        }

        /**
         * @param lifter cepstral liftering coefficient {@code >= 0} (default 0: none)
         * @return this
         */
        public Builder lifter(double lifter) {
            this.lifter = lifter;
            return this;
        }

        /**
         * @param topDb power_to_db's {@code top_db} (default 80, librosa's); null for None (required to stream)
         * @return this
         */
        public Builder topDb(Double topDb) {
            this.topDb = topDb;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public Mfcc build() {
            return new Mfcc(this);
        }
    }
}
