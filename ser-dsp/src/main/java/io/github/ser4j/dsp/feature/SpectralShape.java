package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.SpectrumKernel;

/**
 * Per-frame spectral shape statistics on magnitude spectra, with librosa's arithmetic: {@code util.normalize(S,
 * norm=1)} in float64 stored as float32, frequency-weighted sums in float64, rolloff's cumulative sum in float32.
 */
final class SpectralShape {
    /** librosa's normalize threshold: the smallest normal float32. */
    private static final double TINY32 = Float.MIN_NORMAL;

    private SpectralShape() {
    }

    /** Column normalised to unit L1 norm (float64 division, float32 result); silent columns stay unchanged. */
    static void normalizeL1(float[] s, int n, float[] out) {
        double length = 0;
        for (int k = 0; k < n; k++) {
            length += Math.abs((double) s[k]);
        }
        if (length < TINY32) {
            length = 1.0;
        }
        for (int k = 0; k < n; k++) {
            out[k] = (float) (s[k] / length);
        }
    }

    static double centroid(float[] s, double[] freq, float[] scratch) {
        normalizeL1(s, freq.length, scratch);
        double sum = 0;
        for (int k = 0; k < freq.length; k++) {
            sum += freq[k] * scratch[k];
        }
        return sum;
    }

    static double bandwidth(float[] s, double[] freq, double p, boolean norm, float[] scratch) {
        double centroid = centroid(s, freq, scratch);
        float[] weights = s;
        if (norm) {
            normalizeL1(s, freq.length, scratch);
            weights = scratch;
        }
        double sum = 0;
        for (int k = 0; k < freq.length; k++) {
            double deviation = Math.abs(centroid - freq[k]);
            double dp = p == 2.0 ? deviation * deviation : p == 1.0 ? deviation : Math.pow(deviation, p);
            sum += weights[k] * dp;
        }
        return p == 2.0 ? Math.sqrt(sum) : p == 1.0 ? sum : Math.pow(sum, 1.0 / p);
    }

    static double rolloff(float[] s, double[] freq, double rollPercent) {
        int n = freq.length;
        float total = 0f;
        for (int k = 0; k < n; k++) {
            total += s[k];
        }
        float threshold = (float) rollPercent * total;
        float cumulative = 0f;
        for (int k = 0; k < n; k++) {
            cumulative += s[k];
            if (!(cumulative < threshold)) {
                return freq[k];
            }
        }
        return Double.NaN;
    }

    /** Magnitude spectrum followed by one statistic. */
    abstract static class Kernel implements FrameProcessor {
        final SpectrumKernel spectrum;
        final float[] column;
        final float[] scratch;

        Kernel(SpectrumKernel spectrum) {
            this.spectrum = spectrum;
            this.column = new float[spectrum.outputSize()];
            this.scratch = new float[spectrum.outputSize()];
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void process(float[] src, int offset, float[] out) {
            spectrum.process(src, offset, column);
            out[0] = (float) statistic(column);
        }

        abstract double statistic(float[] magnitude);
    }
}
