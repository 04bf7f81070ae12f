package io.github.ser4j.bench;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.bench.signal.WavBytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * End to end through the public API, as an application would: decode a 16-bit PCM WAV (in memory, so disk speed does
 * not count) with the audio backend found by {@code ServiceLoader} ({@code ser-audio-javasound}), then
 * {@code EmotionRecognizer.recognize(AudioSource)} on the default model (or the card {@link BenchModel} names):
 * mix-down, resampling if needed, speech gate, features, ONNX Runtime, probabilities. The real-time factor is the
 * clip's duration over the time per call. {@code sampleRate} 16000 is the model's rate; 44100, the common rate of
 * recorded files, adds the resampling to 16 kHz.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class EndToEndBench {
    /** Duration of the 16 kHz WAV in seconds. */
    @Param({"1", "3", "30"})
    public int seconds;

    @Param({"16000", "44100"})
    public int sampleRate;

    private byte[] wav;
    private EmotionRecognizer recognizer;

    /** Encodes the WAV and loads the default model. */
    @Setup
    public void setup() {
        wav = WavBytes.pcm16(SpeechLikeSignal.generate(seconds, sampleRate), sampleRate);
        recognizer = BenchModel.create();
    }

    /** Releases the model. */
    @TearDown
    public void tearDown() {
        if (recognizer != null) {
            recognizer.close();
        }
    }

    /**
     * @return the prediction for the clip
     * @throws IOException if closing the source fails
     */
    @Benchmark
    public EmotionPrediction wavToProbabilities() throws IOException {
        try (AudioSource source = AudioSource.open(new ByteArrayInputStream(wav))) {
            return recognizer.recognize(source);
        }
    }
}
