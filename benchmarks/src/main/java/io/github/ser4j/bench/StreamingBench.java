package io.github.ser4j.bench;

import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.dsp.stream.FeatureStream;
import io.github.ser4j.dsp.stream.FrameSink;
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
 * Streaming features over a whole signal: the 16 kHz input is pushed in chunks of {@code chunkMs} and finished, then
 * the stream is reset for the next call. Comparable with the batch forms in {@link SpectrogramBench} and
 * {@link MfccBench} (same frames; MFCC with {@code top_db=None}). Each frame goes to a sink that folds it into a
 * checksum, as a consumer copying it out would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class StreamingBench {
    /** Which feature. */
    @Param({"stft_power", "melspectrogram", "mfcc"})
    public String feature;
    /** Chunk length in milliseconds. */
    @Param({"10", "20", "100"})
    public int chunkMs;
    /** Duration of the 16 kHz input in seconds. */
    @Param({"1", "3", "30"})
    public int seconds;

    private float[] y;
    private int chunk;
    private FeatureStream stream;
    private final Checksum sink = new Checksum();

    /** Generates the input and opens the stream. */
    @Setup
    public void setup() {
        y = SpeechLikeSignal.generate(seconds, Params.SR);
        chunk = Params.SR * chunkMs / 1000;
        stream = StreamFeature.valueOf(feature).newStream();
    }

    /** {@return a checksum of every frame} */
    @Benchmark
    public double wholeSignal() {
        stream.reset();
        for (int pos = 0; pos < y.length; pos += chunk) {
            stream.push(y, pos, Math.min(chunk, y.length - pos), sink);
        }
        stream.finish(sink);
        return sink.sum;
    }

    /** Folds each frame's first and last value into a sum, so the frames cannot be optimised away. */
    static final class Checksum implements FrameSink {
        double sum;
        long frames;

        @Override
        public void accept(long frameIndex, float[] frame) {
            sum += frame[0] + frame[frame.length - 1];
            frames++;
        }
    }
}
