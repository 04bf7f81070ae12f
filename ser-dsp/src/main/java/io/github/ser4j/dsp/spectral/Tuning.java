package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.WarnOnce;

import java.util.Arrays;

/**
 * Tuning estimation of librosa: {@code librosa.estimate_tuning(S=S, sr=sr, bins_per_octave=bins_per_octave)} with its
 * defaults ({@code resolution=0.01}; {@code piptrack} with {@code fmin=150, fmax=4000, threshold=0.1}), which is what
 * {@code librosa.feature.chroma_stft} runs when {@code tuning=None}.
 *
 * <p>The steps and their float32 / float64 arithmetic follow librosa: parabolic-interpolation pitch tracking on the
 * spectrogram ({@code piptrack}), keeping the peaks whose interpolated magnitude reaches the median, then the histogram
 * peak of the pitch deviations from the equal-tempered grid ({@code pitch_tuning}). Like librosa's
 * {@code _spectrogram}, the FFT length is inferred from the number of bins as {@code 2 * (bins - 1)}.
 *
 * <p>Thread-safety: stateless.
 */
public final class Tuning {
    private static final double FMIN = 150.0;
    private static final double FMAX = 4000.0;
    private static final float THRESHOLD = 0.1f;
    private static final double RESOLUTION = 0.01;

    private Tuning() {
    }

    /**
     * @param s             spectrogram ({@code bins x frames}, power as chroma_stft passes it); not modified
     * @param sr            sample rate in Hz
     * @param binsPerOctave bins per octave ({@code n_chroma} for chroma_stft)
     * @return the estimated tuning in fractions of a bin, in {@code [-0.5, 0.5)} (0.0 when no pitch is found, as
     *         librosa, which then warns)
     * @throws IllegalArgumentException if the spectrogram is not finite and non-negative, or has fewer than 2 bins
     */
    public static double estimate(float[][] s, double sr, int binsPerOctave) {
        int frames = Checks.matrix(s, -1, "S");
        Checks.positive(sr, "sr");
        Checks.atLeast(binsPerOctave, 1, "bins_per_octave");
        int bins = s.length;
        if (bins < 2) {
            throw new IllegalArgumentException("S needs at least 2 frequency bins, got " + bins);
        }
        int nFft = 2 * (bins - 1);
        double fmax = Math.min(FMAX, sr / 2);
        double[] fftFreqs = Frequencies.fftFrequencies(sr, nFft);
        int count = 0;
        float[] pitches = new float[bins * frames];
        float[] mags = new float[bins * frames];
        float[] col = new float[bins];
        float[] masked = new float[bins];
        for (int t = 0; t < frames; t++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < bins; k++) {
                col[k] = Math.abs(s[k][t]);
                max = Math.max(max, col[k]);
            }
            float ref = THRESHOLD * max;
            for (int k = 0; k < bins; k++) {
                masked[k] = col[k] > ref ? col[k] : 0f;
            }
            for (int k = 1; k < bins; k++) {
                boolean localMax = k == bins - 1
                        ? masked[k] > masked[k - 1]
                        : masked[k] > masked[k - 1] && masked[k] >= masked[k + 1];
                if (!localMax || !(FMIN <= fftFreqs[k] && fftFreqs[k] < fmax)) {
                    continue;
                }
                float shift = shift(col, k);
                float avg = gradient(col, k);
                float dskew = 0.5f * avg * shift;
                pitches[count] = (float) ((k + (double) shift) * sr / nFft);
                mags[count] = col[k] + dskew;
                count++;
            }
        }
        return pitchTuning(pitches, mags, count, binsPerOctave);
    }

    /** numpy.gradient along the bins, float32 (edges one-sided). */
    private static float gradient(float[] x, int k) {
        if (k == 0) {
            return x[1] - x[0];
        }
        if (k == x.length - 1) {
            return x[k] - x[k - 1];
        }
        return (x[k + 1] - x[k - 1]) / 2f;
    }

    /** librosa's parabolic interpolation stencil (numba: float32 sums promoted to float64 by the integer 2). */
    private static float shift(float[] x, int k) {
        if (k == 0 || k == x.length - 1) {
            return 0f;
        }
        double a = (double) (x[k + 1] + x[k - 1]) - 2.0 * x[k];
        double b = (double) (x[k + 1] - x[k - 1]) / 2.0;
        if (Math.abs(b) >= Math.abs(a)) {
            return 0f;
        }
        return (float) (-b / a);
    }

    private static double pitchTuning(float[] pitches, float[] mags, int count, int binsPerOctave) {
        // estimate_tuning: keep pitches > 0 whose magnitude reaches the median magnitude
        float[] positive = new float[count];
        int np = 0;
        for (int i = 0; i < count; i++) {
            if (pitches[i] > 0) {
                positive[np++] = mags[i];
            }
        }
        float threshold = 0f;
        if (np > 0) {
            float[] sorted = Arrays.copyOf(positive, np);
            Arrays.sort(sorted);
            threshold = np % 2 == 1 ? sorted[np / 2] : (sorted[np / 2 - 1] + sorted[np / 2]) / 2f;
        }
        float[] residuals = new float[count];
        int nr = 0;
        for (int i = 0; i < count; i++) {
            if (pitches[i] > 0 && mags[i] >= threshold) {
                // bins_per_octave * log2(f / (A440 / 16)) in float32, modulo 1
                float octs = (float) Frequencies.log2(pitches[i] / (float) 27.5);
                float r = floatMod1(binsPerOctave * octs);
                if (r >= 0.5f) {
                    r -= 1.0f;
                }
                residuals[nr++] = r;
            }
        }
        if (nr == 0) {
            WarnOnce.warn(Tuning.class, "tuning-empty", "Trying to estimate tuning from empty frequency set.");
            return 0.0;
        }
        int nBins = (int) Math.ceil(1.0 / RESOLUTION);
        double[] edges = Frequencies.linspace(-0.5, 0.5, nBins + 1);
        int[] counts = new int[nBins];
        for (int i = 0; i < nr; i++) {
            double r = residuals[i];
            if (r < edges[0] || r > edges[nBins]) {
                continue;
            }
            // the bin i with edges[i] <= r < edges[i+1]; the last bin also holds r == edges[nBins]
            int lo = Arrays.binarySearch(edges, r);
            int bin = lo >= 0 ? lo : -lo - 2;
            if (lo >= 0) {
                // equal to an edge: numpy's searchsorted 'left' puts it in the bin starting at the first equal edge
                while (bin > 0 && edges[bin - 1] == r) {
                    bin--;
                }
            }
            counts[Math.min(bin, nBins - 1)]++;
        }
        int best = 0;
        for (int i = 1; i < nBins; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return edges[best];
    }

    /** numpy.mod(x, 1.0) for float32: the result has the sign of the divisor. */
    private static float floatMod1(float x) {
        float mod = x % 1.0f;
        if (mod != 0 && mod < 0) {
            mod += 1.0f;
        }
        return mod;
    }
}
