package io.github.ser4j.bench;

import io.github.ser4j.bench.signal.SpeechLikeSignal;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.FloatFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

import java.util.concurrent.TimeUnit;

/**
 * The FFT bound: one bare 512-point real FFT with JTransforms, on a Hann-windowed frame of the speech-like signal.
 * An MFCC of 301 frames cannot be faster than 301 of these; the report divides the MFCC time by 301 x this.
 *
 * <p>Each call copies the frame into the transform's in-place buffer first (a 4 KB copy, a few percent of the
 * transform), since transforming the same buffer over and over would drift to infinities and denormals.
 * {@code ser-dsp} transforms in double precision ({@link #jtransformsDouble()}); the float transform is shown for
 * reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FftBench {
    /** n_fft of the targets. */
    static final int N = 512;

    private DoubleFFT_1D doubleFft;
    private FloatFFT_1D floatFft;
    private final double[] frameD = new double[N];
    private final double[] workD = new double[N];
    private final float[] frameF = new float[N];
    private final float[] workF = new float[N];

    /** Builds the transforms (single-threaded, as ser-dsp configures JTransforms) and a windowed speech frame. */
    @Setup
    public void setup() {
        ConcurrencyUtils.setNumberOfThreads(1);
        doubleFft = new DoubleFFT_1D(N);
        floatFft = new FloatFFT_1D(N);
        float[] y = SpeechLikeSignal.generate(1.0, 16_000);
        int start = 8000; // inside voiced speech
        for (int j = 0; j < N; j++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * j / N);
            frameD[j] = y[start + j] * w;
            frameF[j] = (float) frameD[j];
        }
    }

    /** {@return the transformed frame (JTransforms packed layout)} */
    @Benchmark
    public double[] jtransformsDouble() {
        System.arraycopy(frameD, 0, workD, 0, N);
        doubleFft.realForward(workD);
        return workD;
    }

    /** {@return the transformed frame (JTransforms packed layout)} */
    @Benchmark
    public float[] jtransformsFloat() {
        System.arraycopy(frameF, 0, workF, 0, N);
        floatFft.realForward(workF);
        return workF;
    }
}
