package io.github.ser4j.bench;

import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.dsp.signal.Resampler;
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
 * Batch resampling of speech-like audio to 16 kHz, from 48 kHz and from 44.1 kHz; librosa's default
 * ({@code res_type='soxr_hq'}) is timed on the same samples by {@code librosa_bench.py}. The filter is designed in
 * the setup (a {@link Resampler} is built once per rate pair and shared).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ResampleBench {
    /** Input rate in Hz. */
    @Param({"48000", "44100", "22050"})
    public int fromHz;
    /** Duration of the input in seconds. */
    @Param({"1", "3", "30"})
    public int seconds;

    private float[] y;
    private Resampler resampler;

    /** Generates the input at {@code fromHz} and designs the filter. */
    @Setup
    public void setup() {
        y = SpeechLikeSignal.generate(seconds, fromHz);
        resampler = Resampler.of(fromHz, Params.SR);
    }

    /** {@return the 16 kHz signal} */
    @Benchmark
    public float[] ser4j() {
        return resampler.resample(y);
    }
}
