package io.github.ser4j.bench.peer;

/**
 * The floor peer: a straightforward MFCC with an O(n_fft<sup>2</sup>) DFT per frame, computing what
 * {@code librosa.feature.mfcc(y, sr, n_fft, hop_length, n_mels, n_mfcc)} computes with librosa's defaults otherwise
 * (periodic Hann window of {@code win_length = n_fft}, {@code center=True} with zero padding, power 2, Slaney mel
 * scale and Slaney area normalisation, {@code fmin=0}, {@code fmax=sr/2}, {@code power_to_db(ref=1, amin=1e-10,
 * top_db=80)}, orthonormal DCT-II, no lifter).
 *
 * <p>Written the way a first implementation would be: dense loops in double precision over precomputed tables (DFT
 * twiddles, window, dense mel matrix, DCT matrix), no FFT, no sparsity, allocation of the result. Its unit test checks
 * it against librosa's numbers, so it is a fair "same job" floor for the benchmark.
 *
 * <p>Thread-safety: immutable after construction (work arrays are allocated per call); safe to share.
 */
public final class NaiveDftMfcc {
    private final int nFft;
    private final int hopLength;
    private final int nMels;
    private final int nMfcc;
    private final int bins;
    private final double[] window;
    /** cos/sin(2 pi m / n_fft) for m = 0 .. n_fft-1, indexed by (j * k) mod n_fft. */
    private final double[] cos;
    private final double[] sin;
    private final double[][] mel;
    private final double[][] dct;

    /**
     * @param sr        sample rate in Hz
     * @param nFft      FFT size (frame length and window length), even
     * @param hopLength hop between frames in samples
     * @param nMels     number of mel bands
     * @param nMfcc     number of coefficients, at most {@code nMels}
     */
    public NaiveDftMfcc(int sr, int nFft, int hopLength, int nMels, int nMfcc) {
        if (nFft < 2 || nFft % 2 != 0 || hopLength < 1 || nMels < 1 || nMfcc < 1 || nMfcc > nMels) {
            throw new IllegalArgumentException("bad parameters: n_fft=" + nFft + " hop_length=" + hopLength
                    + " n_mels=" + nMels + " n_mfcc=" + nMfcc);
        }
        this.nFft = nFft;
        this.hopLength = hopLength;
        this.nMels = nMels;
        this.nMfcc = nMfcc;
        this.bins = nFft / 2 + 1;
        window = new double[nFft];
        cos = new double[nFft];
        sin = new double[nFft];
        for (int j = 0; j < nFft; j++) {
            window[j] = 0.5 - 0.5 * Math.cos(2 * Math.PI * j / nFft); // periodic Hann (scipy fftbins=True)
            cos[j] = Math.cos(2 * Math.PI * j / nFft);
            sin[j] = Math.sin(2 * Math.PI * j / nFft);
        }
        mel = slaneyMelFilters(sr, nFft, nMels);
        dct = new double[nMfcc][nMels];
        for (int k = 0; k < nMfcc; k++) {
            double scale = k == 0 ? Math.sqrt(1.0 / nMels) : Math.sqrt(2.0 / nMels);
            for (int m = 0; m < nMels; m++) {
                dct[k][m] = scale * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * nMels));
            }
        }
    }

    /**
     * @param n number of input samples
     * @return the number of frames, {@code 1 + n / hop_length} (centred)
     */
    public int frameCount(int n) {
        return 1 + n / hopLength;
    }

    /**
     * @param y mono samples; not modified
     * @return {@code n_mfcc} rows by {@link #frameCount(int)} frames, like librosa
     */
    public float[][] mfcc(float[] y) {
        int frames = frameCount(y.length);
        int pad = nFft / 2;
        double[][] db = new double[nMels][frames];
        double[] frame = new double[nFft];
        double[] power = new double[bins];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - pad;
            for (int j = 0; j < nFft; j++) {
                int idx = start + j;
                frame[j] = idx >= 0 && idx < y.length ? y[idx] * window[j] : 0.0;
            }
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                int m = 0; // (j * k) mod n_fft, stepped without a division
                for (int j = 0; j < nFft; j++) {
                    re += frame[j] * cos[m];
                    im -= frame[j] * sin[m];
                    m += k;
                    if (m >= nFft) {
                        m -= nFft;
                    }
                }
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < nMels; m++) {
                double s = 0;
                double[] w = mel[m];
                for (int k = 0; k < bins; k++) {
                    s += w[k] * power[k];
                }
                double v = 10 * Math.log10(Math.max(1e-10, s));
                db[m][t] = v;
                max = Math.max(max, v);
            }
        }
        double floor = max - 80;
        float[][] out = new float[nMfcc][frames];
        double[] col = new double[nMels];
        for (int t = 0; t < frames; t++) {
            for (int m = 0; m < nMels; m++) {
                col[m] = Math.max(db[m][t], floor);
            }
            for (int k = 0; k < nMfcc; k++) {
                double s = 0;
                for (int m = 0; m < nMels; m++) {
                    s += dct[k][m] * col[m];
                }
                out[k][t] = (float) s;
            }
        }
        return out;
    }

    /** librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm='slaney'). */
    static double[][] slaneyMelFilters(int sr, int nFft, int nMels) {
        int bins = nFft / 2 + 1;
        double[] fftFreqs = new double[bins];
        for (int k = 0; k < bins; k++) {
            fftFreqs[k] = (double) k * sr / nFft;
        }
        double minMel = hzToMel(0);
        double maxMel = hzToMel(sr / 2.0);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            melF[i] = melToHz(minMel + (maxMel - minMel) * i / (nMels + 1));
        }
        double[][] w = new double[nMels][bins];
        for (int i = 0; i < nMels; i++) {
            double lowerWidth = melF[i + 1] - melF[i];
            double upperWidth = melF[i + 2] - melF[i + 1];
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            for (int k = 0; k < bins; k++) {
                double lower = (fftFreqs[k] - melF[i]) / lowerWidth;
                double upper = (melF[i + 2] - fftFreqs[k]) / upperWidth;
                w[i][k] = Math.max(0, Math.min(lower, upper)) * enorm;
            }
        }
        return w;
    }

    // Slaney's auditory-toolbox mel scale: linear below 1 kHz, logarithmic above.
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    static double hzToMel(double f) {
        return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOG_STEP : f / F_SP;
    }

    static double melToHz(double m) {
        return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (m - MIN_LOG_MEL)) : F_SP * m;
    }
}
