package io.github.ser4j.dsp.spectral;

/**
 * Frequency conversions of {@code librosa.convert} (same formulas, same operation order, double precision).
 *
 * <p>Thread-safety: stateless.
 */
public final class Frequencies {
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = (MIN_LOG_HZ - 0.0) / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    private Frequencies() {
    }

    /**
     * {@code librosa.fft_frequencies(sr=sr, n_fft=n_fft)}, i.e. {@code numpy.fft.rfftfreq(n_fft, 1/sr)}.
     *
     * @param sr   sample rate in Hz
     * @param nFft FFT length
     * @return the centre frequency of each of the {@code 1 + n_fft/2} bins
     */
    public static double[] fftFrequencies(double sr, int nFft) {
        double d = 1.0 / sr;
        double val = 1.0 / (nFft * d);
        double[] f = new double[nFft / 2 + 1];
        for (int k = 0; k < f.length; k++) {
            f[k] = k * val;
        }
        return f;
    }

    /**
     * {@code librosa.hz_to_mel}.
     *
     * @param hz  frequency in Hz
     * @param htk true for the HTK formula, false for Slaney's (librosa's default)
     * @return the mel value
     */
    public static double hzToMel(double hz, boolean htk) {
        if (htk) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }
        double mels = (hz - 0.0) / F_SP;
        if (hz >= MIN_LOG_HZ) {
            mels = MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
        }
        return mels;
    }

    /**
     * {@code librosa.mel_to_hz}.
     *
     * @param mel mel value
     * @param htk true for the HTK formula, false for Slaney's
     * @return the frequency in Hz
     */
    public static double melToHz(double mel, boolean htk) {
        if (htk) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
        double hz = 0.0 + F_SP * mel;
        if (mel >= MIN_LOG_MEL) {
            hz = MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
        }
        return hz;
    }

    /**
     * {@code librosa.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=htk)}: {@code n} frequencies evenly spaced on
     * the mel scale.
     *
     * @param n    number of frequencies
     * @param fmin lowest frequency in Hz
     * @param fmax highest frequency in Hz
     * @param htk  HTK or Slaney mel scale
     * @return the frequencies in Hz
     */
    public static double[] melFrequencies(int n, double fmin, double fmax, boolean htk) {
        double minMel = hzToMel(fmin, htk);
        double maxMel = hzToMel(fmax, htk);
        double[] mels = linspace(minMel, maxMel, n);
        double[] hz = new double[n];
        for (int i = 0; i < n; i++) {
            hz[i] = melToHz(mels[i], htk);
        }
        return hz;
    }

    /**
     * {@code librosa.hz_to_octs(hz, tuning=tuning, bins_per_octave=bins_per_octave)}: octaves above C0 (A4 = 440 Hz
     * shifted by {@code tuning} bins).
     *
     * @param hz            frequency in Hz
     * @param tuning        tuning deviation in fractions of a bin
     * @param binsPerOctave bins per octave
     * @return octave number
     */
    public static double hzToOcts(double hz, double tuning, int binsPerOctave) {
        double a440 = 440.0 * Math.pow(2.0, tuning / binsPerOctave);
        return log2(hz / (a440 / 16));
    }

    /** numpy.linspace(start, stop, num) with endpoint=True, same rounding. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 0) {
            return y;
        }
        int div = num - 1;
        double delta = stop - start;
        if (div > 0) {
            double step = delta / div;
            for (int i = 0; i < num; i++) {
                y[i] = (step == 0 ? (i / (double) div) * delta : i * step) + start;
            }
            y[num - 1] = stop;
        } else {
            y[0] = start;
        }
        return y;
    }

    private static final double LN2 = Math.log(2.0);

    /** log2 with exact results at powers of two, like numpy's. */
    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x) || Math.getExponent(x) < Double.MIN_EXPONENT) {
            return Math.log(x) / LN2;
        }
        int e = Math.getExponent(x);
        double mantissa = x / Math.scalb(1.0, e);
        return e + Math.log(mantissa) / LN2;
    }
}
