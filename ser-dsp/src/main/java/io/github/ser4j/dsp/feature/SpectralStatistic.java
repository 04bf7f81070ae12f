package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.Frequencies;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.stream.FeatureStream;

/**
 * Common part of the extractors that reduce each magnitude-spectrum column to one number (spectral centroid,
 * bandwidth, roll-off): the bin frequencies, the batch and streaming paths, and the column loop of the array forms.
 */
abstract class SpectralStatistic extends SpectralFeature {
    /** Centre frequency of each bin in Hz. */
    final double[] freq;

    SpectralStatistic(int sr, Stft stft) {
        super(sr, stft);
        freq = Frequencies.fftFrequencies(sr, stft.nFft());
    }

    /**
     * @param magnitude one magnitude column, {@code 1 + n_fft/2} values
     * @param scratch   a work array as long as the column
     * @return the statistic of the column
     */
    abstract double statistic(float[] magnitude, float[] scratch);

    /** {@return 1} */
    @Override
    public int featureCount() {
        return 1;
    }

    @Override
    public FeatureMatrix extract(float[] samples) {
        return run(samples, new Kernel());
    }

    /** {@return a stream yielding exactly the columns of {@link #extract(float[])}} */
    public FeatureStream newStream() {
        return new StreamEngine(framer, new Kernel());
    }

    private final class Kernel extends SpectralShape.Kernel {
        Kernel() {
            super(Kernels.spectrum(stft, 1.0));
        }

        @Override
        double statistic(float[] magnitude) {
            return SpectralStatistic.this.statistic(magnitude, scratch);
        }
    }

    /** One column's statistic for the array forms. */
    interface ColumnStatistic {
        double of(float[] column, double[] freq, float[] scratch);
    }

    /**
     * The array form: the statistic of every column of a magnitude spectrogram.
     *
     * @param magnitude {@code (1 + n_fft/2) x frames}, non-negative; not modified
     * @param sr        sample rate in Hz
     * @param nFft      FFT length
     * @param what      the feature's name for error messages (e.g. "Spectral centroid")
     * @param statistic the statistic
     * @return one value per frame
     */
    static double[] perColumn(float[][] magnitude, double sr, int nFft, String what, ColumnStatistic statistic) {
        double[] freq = Frequencies.fftFrequencies(Checks.positive(sr, "sr"), nFft);
        int frames = checkSpectrogram(magnitude, freq.length, what);
        double[] out = new double[frames];
        float[] column = new float[freq.length];
        float[] scratch = new float[freq.length];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < freq.length; k++) {
                column[k] = magnitude[k][t];
            }
            out[t] = statistic.of(column, freq, scratch);
        }
        return out;
    }
}
