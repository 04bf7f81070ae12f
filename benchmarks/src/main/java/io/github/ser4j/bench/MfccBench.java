package io.github.ser4j.bench;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.bench.peer.NaiveDftMfcc;
import io.github.ser4j.bench.peer.TarsosMfcc;
import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.spectral.Delta;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * MFCC of 16 kHz speech-like audio ({@code n_fft=512, hop_length=160, n_mels=64, n_mfcc=40}, librosa's defaults
 * otherwise, i.e. {@code top_db=80}): ser4j and its peers on the same input: TarsosDSP 2.4 driven frame by frame
 * ({@link TarsosMfcc} documents the mapping) and the naive O(n<sup>2</sup>) DFT MFCC ({@link NaiveDftMfcc}). librosa
 * runs on the same samples outside the JVM ({@code librosa_bench.py}). Every variant returns the whole matrix.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MfccBench {
    /** Duration of the 16 kHz input in seconds. */
    @Param({"1", "3", "30"})
    public int seconds;

    private float[] y;
    private Mfcc mfcc;
    private TarsosMfcc tarsos;
    private NaiveDftMfcc naive;

    /** Generates the input and builds the peers. */
    @Setup
    public void setup() {
        y = SpeechLikeSignal.generate(seconds, Params.SR);
        mfcc = Params.mfcc().build();
        tarsos = new TarsosMfcc(Params.SR, Params.N_FFT, Params.HOP, Params.N_MELS, Params.N_MFCC);
        naive = new NaiveDftMfcc(Params.SR, Params.N_FFT, Params.HOP, Params.N_MELS, Params.N_MFCC);
    }

    /** {@return 40 x frames, librosa.feature.mfcc's values} */
    @Benchmark
    public FeatureMatrix ser4j() {
        return mfcc.extract(y);
    }

    /**
     * MFCC and its first and second deltas ({@code librosa.feature.delta(m, width=9, order=1|2)}).
     *
     * @param bh receives the deltas
     * @return the MFCC matrix
     */
    @Benchmark
    public FeatureMatrix ser4jWithDeltas(Blackhole bh) {
        FeatureMatrix m = mfcc.extract(y);
        float[][] rows = m.toRows();
        bh.consume(Delta.delta(rows, 9, 1));
        bh.consume(Delta.delta(rows, 9, 2));
        return m;
    }

    /** {@return 40 x frames, TarsosDSP's values} */
    @Benchmark
    public float[][] tarsosDsp() {
        return tarsos.mfcc(y);
    }

    /** {@return 40 x frames, librosa's values} */
    @Benchmark
    public float[][] naiveDft() {
        return naive.mfcc(y);
    }
}
