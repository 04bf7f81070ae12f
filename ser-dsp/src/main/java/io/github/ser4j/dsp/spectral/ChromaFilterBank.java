package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;

/**
 * {@code librosa.filters.chroma(sr=sr, n_fft=n_fft, n_chroma=n_chroma, tuning=tuning)} with librosa's defaults for the
 * rest ({@code ctroct=5.0, octwidth=2, norm=2, base_c=True}): Gaussian bumps around each pitch class, weighted by a
 * Gaussian over octaves centred on octave 5; computed in double with librosa's operation order and rounded to float32.
 *
 * <p>Thread-safety: stateless.
 */
public final class ChromaFilterBank {
    private static final double CTROCT = 5.0;
    private static final double OCTWIDTH = 2.0;

    private ChromaFilterBank() {
    }

    /**
     * @param sr      sample rate in Hz
     * @param nFft    FFT length ({@code >= 2})
     * @param nChroma number of chroma bins ({@code >= 1}, librosa default 12)
     * @param tuning  tuning deviation from A440 in fractions of a chroma bin (librosa default 0.0)
     * @return {@code n_chroma x (1 + n_fft/2)} weights
     * @throws IllegalArgumentException for out-of-range arguments
     */
    public static float[][] weights(double sr, int nFft, int nChroma, double tuning) {
        Checks.positive(sr, "sr");
        Checks.atLeast(nFft, 2, "n_fft");
        Checks.atLeast(nChroma, 1, "n_chroma");
        if (!Double.isFinite(tuning)) {
            throw new IllegalArgumentException("tuning must be finite, got " + tuning);
        }
        // frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
        double step = sr / nFft;
        double[] frq = new double[nFft];
        for (int i = 1; i < nFft; i++) {
            frq[i] = nChroma * Frequencies.hzToOcts(i * step + 0.0, tuning, nChroma);
        }
        frq[0] = frq[1] - 1.5 * nChroma;
        double[] binwidth = new double[nFft];
        for (int i = 0; i < nFft - 1; i++) {
            binwidth[i] = Math.max(frq[i + 1] - frq[i], 1.0);
        }
        binwidth[nFft - 1] = 1;
        double half = Math.rint(nChroma / 2.0);
        double[][] wts = new double[nChroma][nFft];
        for (int c = 0; c < nChroma; c++) {
            for (int f = 0; f < nFft; f++) {
                double d = remainder(frq[f] - c + half + 10 * nChroma, nChroma) - half;
                double z = 2 * d / binwidth[f];
                wts[c][f] = Math.exp(-0.5 * (z * z));
            }
        }
        // util.normalize(wts, norm=2, axis=0): column L2 norms, summed row by row
        double tiny = Double.MIN_NORMAL;
        for (int f = 0; f < nFft; f++) {
            double sum = 0;
            for (int c = 0; c < nChroma; c++) {
                sum += wts[c][f] * wts[c][f];
            }
            double length = Math.sqrt(sum);
            if (length < tiny) {
                length = 1.0;
            }
            double oct = (frq[f] / nChroma - CTROCT) / OCTWIDTH;
            double octWeight = Math.exp(-0.5 * (oct * oct));
            for (int c = 0; c < nChroma; c++) {
                wts[c][f] = wts[c][f] / length * octWeight;
            }
        }
        int bins = (int) (1 + nFft / 2.0);
        int shift = 3 * (nChroma / 12);
        float[][] out = new float[nChroma][bins];
        for (int c = 0; c < nChroma; c++) {
            double[] src = wts[Math.floorMod(c + shift, nChroma)];
            for (int f = 0; f < bins; f++) {
                out[c][f] = (float) src[f];
            }
        }
        return out;
    }

    /** numpy.remainder for doubles: the result has the sign of the divisor. */
    private static double remainder(double a, double b) {
        double mod = a % b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        return mod;
    }
}
