package io.github.ser4j.dsp.prosody;

import io.github.ser4j.dsp.fft.RealFft;
import io.github.ser4j.dsp.internal.Checks;
import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Objects;

/**
 * F0 and aperiodicity per hop by YIN (de Cheveigné and Kawahara 2002), exactly as {@code yin(y)} of ser4j's
 * {@code training/functionals.py} (the reference of {@link Functionals}); parameters are named after its constants.
 *
 * <p>Frame {@code t} holds the samples {@code t * hop_length - yin_win/2 .. t * hop_length - yin_win/2 + L} of the
 * signal (zeros outside it), {@code L = yin_win + tau_max}, {@code tau_min = floor(sr / f0_max)},
 * {@code tau_max = ceil(sr / f0_min)}, {@code yin_win/2} rounded down: the integration window is centred on sample
 * {@code t * hop_length}, the centre of the reference's spectral frame {@code t}, and there are
 * {@code 1 + n / hop_length} frames, one per spectral frame. Per frame: the difference function
 * {@code d(tau) = sum_{j < yin_win} (x_j - x_{j+tau})^2} (energies from a running sum over the frame; the cross term
 * by FFT: when {@code hop_length} divides {@code yin_win}, from blocks of {@code hop_length} samples transformed once
 * and shared by the frames that hold them, else per frame with {@code 2^ceil(log2(L))} points; the two agree to
 * rounding), its cumulative mean
 * normalised form {@code d'(tau) = d(tau) tau / sum_{1..tau} d}
 * ({@code d'(0) = 1}; {@code d'(tau) = 1} where {@code sum_{1..tau} d <= 1e-10}, so digital silence is aperiodic),
 * and over the lags {@code tau_min <= tau < tau_max}, each tested against both neighbours {@code tau - 1} and
 * {@code tau + 1} (so {@code sr / tau_min}, 500 Hz, is reachable), the first local minimum below
 * {@code yin_threshold} or, if there is none, the global minimum, refined by a parabola through it and its neighbours
 * (shift clipped to +-1 lag). F0 is {@code sr / tau} and the aperiodicity is {@code d'} at the chosen lag (without
 * interpolation). Every frame gets an F0, voiced or not: the caller decides voicing from the aperiodicity (and
 * energy).
 *
 * <p>Thread-safety: immutable; {@link #analyze} may be called from any number of threads. Each call allocates its
 * result ({@code 2 x frames} doubles) and, once, its FFT buffers (a few per integration window); nothing per frame.
 */
public final class Yin {
    /** {@code SR}: the default sample rate, Hz. */
    public static final int SR = 16000;
    /** {@code HOP}: the default hop, samples. */
    public static final int HOP = 160;
    /** {@code F0_MIN}: the default lowest F0, Hz. */
    public static final double F0_MIN = 60.0;
    /** {@code F0_MAX}: the default highest F0, Hz. */
    public static final double F0_MAX = 500.0;
    /** {@code YIN_WIN}: the default integration window, samples. */
    public static final int YIN_WIN = 480;
    /** {@code YIN_THRESHOLD}: the default absolute threshold of the cumulative mean normalised difference. */
    public static final double YIN_THRESHOLD = 0.1;

    private final int sr;
    private final int hopLength;
    private final double f0Min;
    private final double f0Max;
    private final int yinWin;
    private final double yinThreshold;
    private final int tauMin;
    private final int tauMax;
    private final int frameLength;
    private final int nFft;
    /** Power-of-two inverse transform; JTransforms' power-of-two transforms only read their tables. */
    private final DoubleFFT_1D inverse;
    /** The blocked cross term ({@link CrossTermBlocks}), or null when it does not apply (per-frame FFTs then). */
    private final CrossTermBlocks blocks;

    private Yin(Builder b) {
        sr = b.sr;
        hopLength = b.hopLength;
        f0Min = b.f0Min;
        f0Max = b.f0Max;
        yinWin = b.yinWin;
        yinThreshold = b.yinThreshold;
        if (!(f0Max > f0Min)) {
            throw new IllegalArgumentException("f0_max (" + f0Max + ") must be > f0_min (" + f0Min + ")");
        }
        tauMin = (int) Math.floor(sr / f0Max);
        tauMax = (int) Math.ceil(sr / f0Min);
        if (tauMin < 1 || tauMax - tauMin < 3) {
            throw new IllegalArgumentException("the lag range floor(sr/f0_max)=" + tauMin + " .. ceil(sr/f0_min)="
                    + tauMax + " must start at 1 or more and span at least 3 lags");
        }
        frameLength = yinWin + tauMax;
        // the window (yin_win) correlated with the frame (L) wraps past L only for lags beyond tau_max: L points do
        nFft = 1 << (32 - Integer.numberOfLeadingZeros(frameLength - 1));
        new RealFft(nFft);  // initialises JTransforms single-threaded (RealFft's class initialiser)
        inverse = new DoubleFFT_1D(nFft);
        blocks = CrossTermBlocks.of(hopLength, yinWin, tauMax);
    }

    /** {@return a builder with the reference's values: sr 16000, hop 160, F0 60-500 Hz, yin_win 480, threshold 0.1} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the reference's YIN} */
    public static Yin defaults() {
        return builder().build();
    }

    /** {@return a builder holding this instance's parameters} */
    public Builder toBuilder() {
        return builder().sr(sr).hopLength(hopLength).f0Min(f0Min).f0Max(f0Max).yinWin(yinWin)
                .yinThreshold(yinThreshold);
    }

    /** F0 (Hz) and aperiodicity per frame; both arrays are new and belong to the caller. */
    public record Track(double[] f0, double[] aperiodicity) {
        /** @return the number of frames */
        public int frameCount() {
            return f0.length;
        }
    }

    /**
     * @param samples signal length
     * @return the number of frames {@link #analyze} returns for it
     */
    public int frameCount(int samples) {
        return samples < 0 ? 0 : 1 + samples / hopLength;
    }

    /**
     * Runs YIN over a whole signal.
     *
     * @param y mono samples at {@link #sr()}; not modified
     * @return F0 and aperiodicity of each of the {@link #frameCount(int)} frames
     * @throws IllegalArgumentException if {@code y} is empty or holds NaN or infinite samples
     */
    public Track analyze(float[] y) {
        Checks.audio(y, "y");
        return analyze(y, 1.0);
    }

    /** As {@link #analyze(float[])} on the samples {@code (double) y[i] / divisor}, without checks. */
    Track analyze(float[] y, double divisor) {
        return analyze(y, divisor, blocks != null);
    }

    /** As {@link #analyze(float[], double)}, with the blocked cross term or, if {@code blocked} is false, per frame. */
    Track analyze(float[] y, double divisor, boolean blocked) {
        if (blocked && blocks == null) {
            throw new IllegalStateException("the blocked cross term does not apply to " + this);
        }
        int frames = frameCount(y.length);
        Track out = new Track(new double[frames], new double[frames]);
        Work w = new Work(!blocked);
        if (blocked) {
            CrossTermBlocks.Cursor cursor = blocks.cursor(y, divisor, -(yinWin / 2));
            for (int t = 0; t < frames; t++) {
                cursor.frame(t, w.cross, w.sq, frameLength);
                pick(w, out, t);
            }
        } else {
            for (int t = 0; t < frames; t++) {
                frame(y, divisor, t, w, out, t);
            }
        }
        return out;
    }

    /** Per-call scratch: allocated once per signal; the FFT buffers only for the per-frame cross term. */
    final class Work {
        final RealFft fft;
        final double[] spec;
        final double[] win;
        final double[] sq = new double[frameLength + 1];
        final double[] d = new double[tauMax + 1];
        final double[] cmnd = new double[tauMax + 1];
        /** The cross term {@code sum_{j < yin_win} x_j x_{j + tau}} at {@code [tau]}, {@code tau = 0..tau_max}. */
        final double[] cross = new double[tauMax + 1];

        Work(boolean perFrame) {
            fft = perFrame ? new RealFft(nFft) : null;
            spec = perFrame ? new double[nFft] : null;
            win = perFrame ? new double[nFft] : null;
        }
    }

    /** YIN of frame {@code t} into {@code out.f0[slot]}, {@code out.aperiodicity[slot]}. */
    void frame(float[] y, double divisor, int t, Work w, Track out, int slot) {
        double[] spec = w.spec;
        double[] win = w.win;
        double[] sq = w.sq;
        int start = t * hopLength - yinWin / 2;
        sq[0] = 0;
        for (int j = 0; j < frameLength; j++) {
            int i = start + j;
            double x = i >= 0 && i < y.length ? y[i] / divisor : 0.0;
            spec[j] = x;
            win[j] = j < yinWin ? x : 0.0;
            sq[j + 1] = sq[j] + x * x;
        }
        java.util.Arrays.fill(spec, frameLength, nFft, 0.0);
        java.util.Arrays.fill(win, yinWin, nFft, 0.0);
        w.fft.forwardPacked(spec);
        w.fft.forwardPacked(win);
        // spec * conj(win), packed: [0] and [1] are the real bins 0 and n/2
        spec[0] *= win[0];
        spec[1] *= win[1];
        for (int k = 2; k < nFft; k += 2) {
            double ar = spec[k];
            double ai = spec[k + 1];
            double br = win[k];
            double bi = win[k + 1];
            spec[k] = ar * br + ai * bi;
            spec[k + 1] = ai * br - ar * bi;
        }
        inverse.realInverse(spec, true);  // spec[tau] = sum_j x_j x_{j + tau}, j < yin_win
        System.arraycopy(spec, 0, w.cross, 0, tauMax + 1);
        pick(w, out, slot);
    }

    /** The difference function from {@code w.sq} and {@code w.cross}, its normalised form and the chosen lag. */
    private void pick(Work w, Track out, int slot) {
        double[] sq = w.sq;
        double[] cross = w.cross;
        double[] d = w.d;
        double[] cmnd = w.cmnd;
        double e0 = sq[yinWin];
        d[0] = 0;
        cmnd[0] = 1;
        double cum = 0;
        for (int tau = 1; tau <= tauMax; tau++) {
            double eTau = sq[tau + yinWin] - sq[tau];
            double v = Math.max(e0 + eTau - 2 * cross[tau], 0.0);
            d[tau] = v;
            cum += v;
            // digital silence (no difference energy at all) is aperiodic, not perfectly periodic
            cmnd[tau] = cum > 1e-10 ? v * tau / Math.max(cum, 1e-12) : 1.0;
        }
        // lags tau_min .. tau_max - 1, each with both neighbours: the first local minimum below the threshold, else
        // the first global minimum
        int best = -1;
        for (int tau = tauMin; tau < tauMax; tau++) {
            double s = cmnd[tau];
            if (s < yinThreshold && s <= cmnd[tau - 1] && s <= cmnd[tau + 1]) {
                best = tau;
                break;
            }
        }
        if (best < 0) {
            best = tauMin;
            for (int tau = tauMin + 1; tau < tauMax; tau++) {
                if (cmnd[tau] < cmnd[best]) {
                    best = tau;
                }
            }
        }
        double a = cmnd[best - 1];
        double b = cmnd[best];
        double c = cmnd[best + 1];
        double den = a - 2 * b + c;
        double shift = Math.abs(den) > 1e-12 ? Math.min(Math.max(0.5 * (a - c) / den, -1), 1) : 0.0;
        double tau = best + shift;
        out.f0[slot] = sr / tau;
        out.aperiodicity[slot] = b;
    }

    /** {@return {@code SR}, the sample rate in Hz} */
    public int sr() {
        return sr;
    }

    /** {@return {@code HOP}, samples between frames} */
    public int hopLength() {
        return hopLength;
    }

    /** {@return {@code F0_MIN}, Hz} */
    public double f0Min() {
        return f0Min;
    }

    /** {@return {@code F0_MAX}, Hz} */
    public double f0Max() {
        return f0Max;
    }

    /** {@return {@code YIN_WIN}, the integration window in samples} */
    public int yinWin() {
        return yinWin;
    }

    /** {@return {@code YIN_THRESHOLD}} */
    public double yinThreshold() {
        return yinThreshold;
    }

    /** {@return the shortest lag searched, {@code floor(sr / f0_max)}} */
    public int tauMin() {
        return tauMin;
    }

    /** {@return one past the longest lag searched, {@code ceil(sr / f0_min)}} */
    public int tauMax() {
        return tauMax;
    }

    /** {@return the frame length {@code yin_win + tau_max}} */
    public int frameLength() {
        return frameLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Yin other && sr == other.sr && hopLength == other.hopLength && f0Min == other.f0Min
                && f0Max == other.f0Max && yinWin == other.yinWin && yinThreshold == other.yinThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sr, hopLength, f0Min, f0Max, yinWin, yinThreshold);
    }

    @Override
    public String toString() {
        return "Yin[sr=" + sr + ", hop=" + hopLength + ", f0=" + f0Min + ".." + f0Max + " Hz, yin_win=" + yinWin
                + ", threshold=" + yinThreshold + "]";
    }

    /**
     * Parameters of a {@link Yin}, named after the reference's constants.
     *
     * <p>Thread-safety: not thread-safe; {@link #build()} returns an immutable instance.
     */
    public static final class Builder {
        private int sr = SR;
        private int hopLength = HOP;
        private double f0Min = F0_MIN;
        private double f0Max = F0_MAX;
        private int yinWin = YIN_WIN;
        private double yinThreshold = YIN_THRESHOLD;

        private Builder() {
        }

        /**
         * @param v {@code SR}: sample rate in Hz (default 16000)
         * @return this builder
         */
        public Builder sr(int v) {
            sr = Checks.atLeast(v, 1, "sr");
            return this;
        }

        /**
         * @param v {@code HOP}: samples between frames (default 160)
         * @return this builder
         */
        public Builder hopLength(int v) {
            hopLength = Checks.atLeast(v, 1, "hop_length");
            return this;
        }

        /**
         * @param v {@code F0_MIN}: lowest F0 searched, Hz (default 60)
         * @return this builder
         */
        public Builder f0Min(double v) {
            f0Min = Checks.positive(v, "f0_min");
            return this;
        }

        /**
         * @param v {@code F0_MAX}: highest F0 searched, Hz (default 500)
         * @return this builder
         */
        public Builder f0Max(double v) {
            f0Max = Checks.positive(v, "f0_max");
            return this;
        }

        /**
         * @param v {@code YIN_WIN}: integration window in samples (default 480)
         * @return this builder
         */
        public Builder yinWin(int v) {
            yinWin = Checks.atLeast(v, 1, "yin_win");
            return this;
        }

        /**
         * @param v {@code YIN_THRESHOLD}: absolute threshold of the cumulative mean normalised difference (default
         *          0.1)
         * @return this builder
         */
        public Builder yinThreshold(double v) {
            yinThreshold = Checks.positive(v, "yin_threshold");
            return this;
        }

        /**
         * @return a new immutable YIN
         * @throws IllegalArgumentException if {@code f0_max <= f0_min} or the lag range is degenerate
         */
        public Yin build() {
            return new Yin(this);
        }
    }
}
