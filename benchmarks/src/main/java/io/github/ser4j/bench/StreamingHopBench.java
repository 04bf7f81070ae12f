package io.github.ser4j.bench;

import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.dsp.stream.FeatureStream;
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
 * Steady-state streaming: one call pushes one chunk of {@code chunkMs} into a stream that never ends (the input, 30 s
 * of 16 kHz audio, is cycled), so a call is exactly what a live application does when a chunk arrives: the time from
 * the chunk's arrival to its frames' delivery. Run twice: sampled ({@link Mode#SampleTime}) for the latency
 * percentiles, and averaged ({@link Mode#AverageTime}) for the mean, whose quotient by the hops per chunk
 * ({@code chunkMs / 10}) is the per-hop cost, and for {@code -prof gc}'s {@code gc.alloc.rate.norm}, the allocation
 * per chunk (the target is 0 B; sample mode's own bookkeeping allocates a few bytes per sample, so its figure is not
 * used).
 *
 * <p>Algorithmic latency comes on top: with {@code center=True} a frame centred on sample {@code t * hop} is final
 * when sample {@code t * hop + n_fft/2 - 1} arrives, i.e. 16 ms after its centre.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class StreamingHopBench {
    /** Which feature. */
    @Param({"stft_power", "melspectrogram", "mfcc"})
    public String feature;
    /** Chunk length in milliseconds (10 ms = one hop). */
    @Param({"10", "20", "100"})
    public int chunkMs;

    private float[] y;
    private int chunk;
    private int pos;
    private FeatureStream stream;
    private final StreamingBench.Checksum sink = new StreamingBench.Checksum();

    /** Generates the input and opens the stream, primed with one second of audio. */
    @Setup
    public void setup() {
        y = SpeechLikeSignal.generate(30, Params.SR);
        chunk = Params.SR * chunkMs / 1000;
        stream = StreamFeature.valueOf(feature).newStream();
        for (pos = 0; pos < Params.SR; pos += chunk) {
            stream.push(y, pos, chunk, sink);
        }
    }

    /** {@return a checksum of the frames so far} */
    @Benchmark
    public double pushChunk() {
        if (pos + chunk > y.length) {
            pos = 0;
        }
        stream.push(y, pos, chunk, sink);
        pos += chunk;
        return sink.sum;
    }
}
