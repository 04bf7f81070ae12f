package io.github.ser4j.bench;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.spectral.Stft;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Batch STFT power spectrum ({@code np.abs(librosa.stft(y, n_fft=512, hop_length=160))**2}) and mel spectrogram
 * ({@code librosa.feature.melspectrogram(y, sr=16000, n_fft=512, hop_length=160, n_mels=64)}) of 16 kHz speech-like
 * audio.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SpectrogramBench {
    /** Duration of the 16 kHz input in seconds. */
    @Param({"1", "3", "30"})
    public int seconds;

    private float[] y;
    private Stft stft;
    private MelSpectrogram mel;

    /** Generates the input and builds the extractors. */
    @Setup
    public void setup() {
        y = SpeechLikeSignal.generate(seconds, Params.SR);
        stft = Params.stft();
        mel = Params.melspectrogram().build();
    }

    /** {@return 257 x frames power spectrum} */
    @Benchmark
    public float[][] stftPower() {
        return stft.power(y);
    }

    /** {@return 64 x frames mel power spectrogram} */
    @Benchmark
    public FeatureMatrix melspectrogram() {
        return mel.extract(y);
    }
}
