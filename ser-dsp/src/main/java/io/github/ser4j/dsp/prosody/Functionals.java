package io.github.ser4j.dsp.prosody;

import io.github.ser4j.dsp.fft.RealFft;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.spectral.Dct;
import io.github.ser4j.dsp.spectral.DctNorm;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A clip-level vector of {@value #SIZE} prosodic and spectral functionals (an eGeMAPS-like set), exactly as
 * {@code functionals(y)} of ser4j's {@code training/functionals.py}, which the functionals-based models are trained
 * on; {@link #names()} gives the names in order.
 *
 * <p>The clip (mono, 16 kHz) is <b>peak-normalised first</b> ({@code y / max|y|} in double precision, unless it is all
 * zeros), so the vector does not depend on the input's gain. Then, every {@value #HOP} samples:
 * <ul>
 *   <li>power spectrum {@code p = |rfft(frame * hann)|^2}: 512-sample frames centred on the hop (zero padded),
 *       periodic Hann of {@value #WIN} samples centred in them;</li>
 *   <li>frame descriptors: {@code energy_db = 10 log10(sum p + 1e-10)}; spectral centroid (Hz); log flatness
 *       {@code mean(ln(p + 1e-10)) - ln(mean(p + 1e-10))}; 85 % rolloff (Hz, the first bin whose cumulative power
 *       reaches 0.85 of the total, 0 if none); alpha ratio {@code 10 log10} of the power in 1-5 kHz over 50 Hz-1 kHz
 *       (each + 1e-10); Hammarberg index {@code 10 log10} of the strongest bin below 2 kHz over the strongest in
 *       2-5 kHz (each + 1e-10); spectral flux (Euclidean distance of consecutive sum-normalised magnitude spectra, 0 for the
 *       first frame); MFCC 1-13 ({@value #N_MELS} slaney mel bands, {@code librosa.filters.mel}'s float32 weights,
 *       natural log floored at 1e-10, orthonormal DCT-II rows 1..13);</li>
 *   <li>F0 and aperiodicity by {@link Yin} with its defaults.</li>
 * </ul>
 * A frame is speech when its {@code energy_db} is within {@value #SPEECH_RANGE_DB} dB of the loudest frame, and voiced
 * when it is speech and its aperiodicity is below {@value #VOICED_APERIODICITY}. Each of the 20 frame descriptors over
 * the speech frames, and the F0 in semitones re 27.5 Hz and the aperiodicity over the voiced frames, are summarised by
 * mean, standard deviation (population), 10th, 50th and 90th percentiles (numpy's default linear interpolation) and
 * the mean absolute difference of consecutive selected values (zeros when no frame is selected; the difference 0 for
 * a single frame). Last come seven scalars: voiced fraction, voiced runs per second, F0 jitter (mean absolute change
 * of the period between consecutive voiced frames over the mean voiced period), energy shimmer (mean absolute change
 * of {@code energy_db} between consecutive voiced frames, dB), mean rising and mean falling F0 slope (semitones per
 * frame, between consecutive voiced frames, changes within {@value #SLOPE_DEAD_ZONE} semitones counting as neither)
 * and speech fraction.
 *
 * <p>There are {@code 1 + n / 160} frames, each YIN integration window centred on its spectral frame. Digital silence
 * is aperiodic (YIN's {@code d' = 1} there): an all-zero clip (every frame equally loud, so all "speech") has voiced
 * fraction 0 and all F0 statistics 0, and a tone padded with silence is voiced only where its sound is.
 *
 * <p>Thread-safety: immutable; {@link #compute} may be called from any number of threads. Memory: each call allocates
 * its workspace once, about 24 doubles per 10 ms frame (~19 KB per second of audio) plus ~70 KB of fixed buffers;
 * nothing is allocated per frame and the input is not copied. Cost: about three 512-point FFTs per frame (one for
 * the spectrum, two for YIN).
 */
public final class Functionals {
    /** The sample rate the vector is defined at, Hz. */
    public static final int SR = 16000;
    /** FFT size of the spectral descriptors. */
    public static final int N_FFT = 512;
    /** Hann window length. */
    public static final int WIN = 400;
    /** Samples between frames. */
    public static final int HOP = 160;
    /** Mel bands behind the MFCCs. */
    public static final int N_MELS = 40;
    /** MFCCs kept (1..13; the 0th is dropped). */
    public static final int N_MFCC = 13;
    /** A speech frame is voiced below this aperiodicity. */
    public static final double VOICED_APERIODICITY = 0.25;
    /** A frame is speech when its energy is within this many dB of the clip's loudest frame. */
    public static final double SPEECH_RANGE_DB = 35.0;
    /** F0 changes smaller than this (semitones per frame) count as neither rise nor fall. */
    public static final double SLOPE_DEAD_ZONE = 1e-6;
    /** Length of the vector. */
    public static final int SIZE = 139;

    private static final List<String> LLD_NAMES;
    private static final List<String> STATS = List.of("mean", "std", "p10", "p50", "p90", "mad");
    private static final List<String> NAMES;
    private static final int N_LLD = 7 + N_MFCC;
    private static final int BINS = N_FFT / 2 + 1;

    static {
        List<String> l = new ArrayList<>(List.of("energy_db", "centroid", "log_flatness", "rolloff85", "alpha_ratio",
                "hammarberg", "flux"));
        for (int i = 1; i <= N_MFCC; i++) {
            l.add("mfcc" + i);
        }
        LLD_NAMES = Collections.unmodifiableList(l);
        List<String> n = new ArrayList<>();
        List<String> all = new ArrayList<>(l);
        all.add("f0_st");
        all.add("aperiodicity");
        for (String d : all) {
            for (String s : STATS) {
                n.add(d + "_" + s);
            }
        }
        n.addAll(List.of("voiced_fraction", "voiced_runs_per_s", "f0_jitter", "energy_shimmer", "f0_slope_rise",
                "f0_slope_fall", "speech_fraction"));
        NAMES = Collections.unmodifiableList(n);
        if (NAMES.size() != SIZE) {
            throw new AssertionError(NAMES.size());
        }
    }

    private static final Functionals DEFAULT = new Functionals();

    private final Yin yin = Yin.defaults();
    private final double[] window = Window.hann().padded(WIN, N_FFT);
    private final double[][] mel;
    private final int[] melStart;
    private final int[] melEnd;
    private final double[][] dct;

    private Functionals() {
        MelFilterBank fb = MelFilterBank.builder().sr(SR).nFft(N_FFT).nMels(N_MELS).fmin(0).fmax(SR / 2.0).htk(false)
                .norm(MelNorm.SLANEY).build();
        float[][] w = fb.weights();
        mel = new double[N_MELS][BINS];
        melStart = new int[N_MELS];
        melEnd = new int[N_MELS];
        for (int m = 0; m < N_MELS; m++) {
            for (int k = 0; k < BINS; k++) {
                mel[m][k] = w[m][k];
            }
            melStart[m] = fb.bandStart(m);
            melEnd[m] = fb.bandEnd(m);
        }
        // orthonormal DCT-II rows 1..13 (the reference's cos(pi / n (m + 1/2) k) sqrt(2 / n), to 1 ulp)
        dct = Arrays.copyOfRange(Dct.basis(N_MELS, N_MFCC + 1, DctNorm.ORTHO), 1, N_MFCC + 1);
    }

    /** {@return the (immutable, shared) instance} */
    public static Functionals create() {
        return DEFAULT;
    }

    /** {@return the {@value #SIZE} names, in the order of the vector (unmodifiable)} */
    public static List<String> names() {
        return NAMES;
    }

    /** {@return the YIN it uses (the reference's defaults)} */
    public Yin yin() {
        return yin;
    }

    /**
     * The vector as the reference returns it (float32).
     *
     * @param y mono samples at 16 kHz, any scale (peak-normalised here); not modified
     * @return {@value #SIZE} values in the order of {@link #names()}
     * @throws IllegalArgumentException if {@code y} is empty or holds NaN or infinite samples
     */
    public float[] compute(float[] y) {
        double[] v = computeDouble(y);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /**
     * The vector in double precision (the reference's values before its final cast to float32).
     *
     * @param y mono samples at 16 kHz, any scale (peak-normalised here); not modified
     * @return {@value #SIZE} values in the order of {@link #names()}
     * @throws IllegalArgumentException if {@code y} is empty or holds NaN or infinite samples
     */
    public double[] computeDouble(float[] y) {
        Checks.audio(y, "y");
        double peak = 0;
        for (float v : y) {
            peak = Math.max(peak, Math.abs((double) v));
        }
        double divisor = peak > 0 ? peak : 1.0;
        int nStft = 1 + y.length / HOP;
        double[][] lld = frameDescriptors(y, divisor, nStft);
        double[] energy = lld[0];
        double maxDb = Double.NEGATIVE_INFINITY;
        for (double e : energy) {
            maxDb = Math.max(maxDb, e);
        }
        double threshold = maxDb - SPEECH_RANGE_DB;
        boolean[] speech = new boolean[nStft];
        int speechCount = 0;
        for (int t = 0; t < nStft; t++) {
            speech[t] = energy[t] > threshold;
            speechCount += speech[t] ? 1 : 0;
        }
        Yin.Track track = yin.analyze(y, divisor);
        int m = Math.min(track.frameCount(), nStft);
        double[] f0 = track.f0();
        double[] ap = track.aperiodicity();
        boolean[] voiced = new boolean[m];
        int voicedCount = 0;
        for (int t = 0; t < m; t++) {
            voiced[t] = speech[t] && ap[t] < VOICED_APERIODICITY;
            voicedCount += voiced[t] ? 1 : 0;
        }
        double[] out = new double[SIZE];
        double[] sel = new double[Math.max(nStft, 1)];
        double[] sorted = new double[sel.length];
        int o = 0;
        for (int d = 0; d < N_LLD; d++) {
            int n = 0;
            for (int t = 0; t < nStft; t++) {
                if (speech[t]) {
                    sel[n++] = lld[d][t];
                }
            }
            stats(sel, sorted, n, out, o);
            o += STATS.size();
        }
        int n = 0;
        for (int t = 0; t < m; t++) {
            if (voiced[t]) {
                sel[n++] = 12 * log2(f0[t] / 27.5);
            }
        }
        stats(sel, sorted, n, out, o);
        o += STATS.size();
        n = 0;
        for (int t = 0; t < m; t++) {
            if (voiced[t]) {
                sel[n++] = ap[t];
            }
        }
        stats(sel, sorted, n, out, o);
        o += STATS.size();

        double dur = y.length / (double) SR;
        int runs = 0;
        for (int t = 0; t < m; t++) {
            if (voiced[t] && (t == 0 || !voiced[t - 1])) {
                runs++;
            }
        }
        double jitterSum = 0;
        double shimmerSum = 0;
        int both = 0;
        double riseSum = 0;
        int rises = 0;
        double fallSum = 0;
        int falls = 0;
        for (int t = 1; t < m; t++) {
            if (voiced[t] && voiced[t - 1]) {
                both++;
                jitterSum += Math.abs(1.0 / Math.max(f0[t], 1e-3) - 1.0 / Math.max(f0[t - 1], 1e-3));
                shimmerSum += Math.abs(energy[t] - energy[t - 1]);
                double dSt = 12 * log2(Math.max(f0[t], 1e-3) / 27.5) - 12 * log2(Math.max(f0[t - 1], 1e-3) / 27.5);
                // changes under SLOPE_DEAD_ZONE semitones are rounding, not movement
                if (dSt > SLOPE_DEAD_ZONE) {
                    riseSum += dSt;
                    rises++;
                } else if (dSt < -SLOPE_DEAD_ZONE) {
                    fallSum += dSt;
                    falls++;
                }
            }
        }
        double periodSum = 0;
        for (int t = 0; t < m; t++) {
            if (voiced[t]) {
                periodSum += 1.0 / Math.max(f0[t], 1e-3);
            }
        }
        out[o++] = voicedCount / (double) m;
        out[o++] = runs / Math.max(dur, 1e-3);
        out[o++] = both > 0 ? (jitterSum / both) / (periodSum / voicedCount) : 0.0;
        out[o++] = both > 0 ? shimmerSum / both : 0.0;
        out[o++] = rises > 0 ? riseSum / rises : 0.0;
        out[o++] = falls > 0 ? fallSum / falls : 0.0;
        out[o++] = speechCount / (double) nStft;
        return out;
    }

    /** numpy's log2 of a positive double, via the natural log (differences are of the order of 1 ulp). */
    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** The 20 frame descriptors ({@code [descriptor][frame]}) of the normalised signal {@code y / divisor}. */
    double[][] frameDescriptors(float[] y, double divisor, int nStft) {
        double[][] lld = new double[N_LLD][nStft];
        RealFft fft = new RealFft(N_FFT);
        double[] buf = new double[N_FFT];
        double[] p = new double[BINS];
        double[] mn = new double[BINS];
        double[] prev = new double[BINS];
        double[] logmel = new double[N_MELS];
        double binHz = SR / (double) N_FFT;
        for (int t = 0; t < nStft; t++) {
            int start = t * HOP - N_FFT / 2;
            for (int j = 0; j < N_FFT; j++) {
                int i = start + j;
                buf[j] = i >= 0 && i < y.length ? y[i] / divisor * window[j] : 0.0;
            }
            fft.forwardPacked(buf);
            p[0] = buf[0] * buf[0];
            p[BINS - 1] = buf[1] * buf[1];
            for (int k = 1; k < BINS - 1; k++) {
                double re = buf[2 * k];
                double im = buf[2 * k + 1];
                p[k] = re * re + im * im;
            }
            double sum = 0;
            double weighted = 0;
            double logSum = 0;
            double epsSum = 0;
            double lo = 0;
            double hi = 0;
            double maxLow = Double.NEGATIVE_INFINITY;
            double maxMid = Double.NEGATIVE_INFINITY;
            double magSum = 0;
            for (int k = 0; k < BINS; k++) {
                double f = k * binHz;
                double v = p[k];
                sum += v;
                weighted += v * f;
                logSum += Math.log(v + 1e-10);
                epsSum += v + 1e-10;
                if (f >= 50 && f < 1000) {
                    lo += v;
                } else if (f >= 1000 && f < 5000) {
                    hi += v;
                }
                if (f < 2000) {
                    maxLow = Math.max(maxLow, v);
                } else if (f < 5000) {
                    maxMid = Math.max(maxMid, v);
                }
                magSum += Math.sqrt(v);
            }
            double tot = sum + 1e-10;
            lld[0][t] = 10 * Math.log10(tot);
            lld[1][t] = weighted / tot;
            lld[2][t] = logSum / BINS - Math.log(epsSum / BINS);
            double target = 0.85 * tot;
            double cum = 0;
            int roll = 0;
            for (int k = 0; k < BINS; k++) {
                cum += p[k];
                if (cum >= target) {
                    roll = k;
                    break;
                }
            }
            lld[3][t] = roll * SR / (double) N_FFT;
            lld[4][t] = 10 * Math.log10((hi + 1e-10) / (lo + 1e-10));
            lld[5][t] = 10 * Math.log10((maxLow + 1e-10) / (maxMid + 1e-10));
            double norm = magSum + 1e-10;
            double flux = 0;
            for (int k = 0; k < BINS; k++) {
                double v = Math.sqrt(p[k]) / norm;
                double dv = v - prev[k];
                flux += dv * dv;
                mn[k] = v;
            }
            lld[6][t] = t == 0 ? 0.0 : Math.sqrt(flux);
            double[] swap = prev;
            prev = mn;
            mn = swap;
            for (int b = 0; b < N_MELS; b++) {
                double[] wb = mel[b];
                double s = 0;
                for (int k = melStart[b]; k < melEnd[b]; k++) {
                    s += p[k] * wb[k];
                }
                logmel[b] = Math.log(Math.max(s, 1e-10));
            }
            for (int i = 0; i < N_MFCC; i++) {
                double[] di = dct[i];
                double s = 0;
                for (int b = 0; b < N_MELS; b++) {
                    s += logmel[b] * di[b];
                }
                lld[7 + i][t] = s;
            }
        }
        return lld;
    }

    /**
     * mean, std, p10, p50, p90, mean |diff| of {@code v[0..n)} into {@code out[o..o+6)}, as the reference's
     * {@code _stats}; zeros when {@code n == 0}.
     */
    static void stats(double[] v, double[] sorted, int n, double[] out, int o) {
        if (n == 0) {
            Arrays.fill(out, o, o + 6, 0.0);
            return;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += v[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = v[i] - mean;
            ss += d * d;
        }
        System.arraycopy(v, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        double mad = 0;
        for (int i = 1; i < n; i++) {
            mad += Math.abs(v[i] - v[i - 1]);
        }
        out[o] = mean;
        out[o + 1] = Math.sqrt(ss / n);
        out[o + 2] = percentile(sorted, n, 0.1);
        out[o + 3] = percentile(sorted, n, 0.5);
        out[o + 4] = percentile(sorted, n, 0.9);
        out[o + 5] = n > 1 ? mad / (n - 1) : 0.0;
    }

    /** {@code numpy.percentile(v, 100 q)} (method "linear") of the ascending {@code sorted[0..n)}. */
    static double percentile(double[] sorted, int n, double q) {
        double virtual = (n - 1) * q;
        if (virtual >= n - 1) {
            return sorted[n - 1];
        }
        int lo = (int) Math.floor(virtual);
        double gamma = virtual - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
