package io.github.ser4j.bench;

import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.spectral.Stft;

/** The feature parameters of the targets, shared by every benchmark and peer. */
final class Params {
    /** sr. */
    static final int SR = 16_000;
    /** n_fft. */
    static final int N_FFT = 512;
    /** hop_length. */
    static final int HOP = 160;
    /** n_mels. */
    static final int N_MELS = 64;
    /** n_mfcc. */
    static final int N_MFCC = 40;

    private Params() {
    }

    /** {@return {@code stft(n_fft=512, hop_length=160)}, librosa's defaults otherwise} */
    static Stft stft() {
        return Stft.builder().nFft(N_FFT).hopLength(HOP).build();
    }

    /** {@return {@code melspectrogram(sr=16000, n_fft=512, hop_length=160, n_mels=64)}} */
    static MelSpectrogram.Builder melspectrogram() {
        return MelSpectrogram.builder().sr(SR).nFft(N_FFT).hopLength(HOP).nMels(N_MELS);
    }

    /** {@return {@code mfcc(sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=40)}, top_db=80} */
    static Mfcc.Builder mfcc() {
        return Mfcc.builder().sr(SR).nFft(N_FFT).hopLength(HOP).nMels(N_MELS).nMfcc(N_MFCC);
    }
}
