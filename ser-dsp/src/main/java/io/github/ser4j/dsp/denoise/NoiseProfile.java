package io.github.ser4j.dsp.denoise;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.spectral.Window;
import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The noise a stationary {@link SpectralGate} gates against: per STFT bin, the mean and standard deviation (population)
 * of the level in dB, {@code 20 log10(|X| + 1e-10)}, over the frames of a noise clip that lie wholly inside it
 * (periodic Hann window of {@code n_fft}, frames every {@code hop_length}).
 *
 * <p>Thread-safety: immutable.
 */
public final class NoiseProfile {
    static final double EPS = 1e-10;

    private final int sampleRate;
    private final int nFft;
    private final int hopLength;
    private final int frames;
    private final double[] mean;
    private final double[] std;

    private NoiseProfile(int sampleRate, int nFft, int hopLength, int frames, double[] mean, double[] std) {
        this.sampleRate = sampleRate;
        this.nFft = nFft;
        this.hopLength = hopLength;
        this.frames = frames;
        this.mean = mean;
        this.std = std;
    }

    /**
     * The profile of a clip of noise alone, with noisereduce's framing (n_fft 1024, hop 256).
     *
     * @param noise      noise samples, at least 1024; not modified
     * @param sampleRate their rate in Hz
     * @return the profile
     * @throws IllegalArgumentException if the clip is shorter than one frame or holds NaN or infinite samples
     */
    public static NoiseProfile of(float[] noise, int sampleRate) {
        return of(noise, sampleRate, 1024, 256);
    }

    /**
     * The profile of a clip of noise alone.
     *
     * @param noise      noise samples, at least {@code nFft}; not modified
     * @param sampleRate their rate in Hz
     * @param nFft       STFT size (the gate's {@code n_fft})
     * @param hopLength  frame step (the gate's {@code hop_length})
     * @return the profile
     * @throws IllegalArgumentException if the clip is shorter than one frame or holds NaN or infinite samples
     */
    public static NoiseProfile of(float[] noise, int sampleRate, int nFft, int hopLength) {
        return fromQuietestFrames(noise, sampleRate, 1.0, nFft, hopLength);
    }

    /**
     * The profile of the quietest frames of a recording (lowest sum of squared samples): a noise estimate when no
     * noise-only clip exists and the recording has pauses.
     *
     * @param y          the recording; not modified
     * @param sampleRate its rate in Hz
     * @param fraction   share of the frames to use, in (0, 1] (at least one frame is used)
     * @param nFft       STFT size (the gate's {@code n_fft})
     * @param hopLength  frame step (the gate's {@code hop_length})
     * @return the profile
     * @throws IllegalArgumentException if the recording is shorter than one frame, holds NaN or infinite samples, or
     *                                  an argument is out of range
     */
    public static NoiseProfile fromQuietestFrames(float[] y, int sampleRate, double fraction, int nFft,
                                                  int hopLength) {
        Checks.audio(y, "noise");
        if (sampleRate <= 0 || nFft < 2 || nFft % 2 != 0 || hopLength < 1) {
            throw new IllegalArgumentException("need a positive rate, an even n_fft and a positive hop, got "
                    + sampleRate + ", " + nFft + ", " + hopLength);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (y.length < nFft) {
            throw new IllegalArgumentException("the noise clip has " + y.length + " samples, fewer than one frame ("
                    + nFft + ")");
        }
        int count = 1 + (y.length - nFft) / hopLength;
        double[] energy = new double[count];
        Integer[] order = new Integer[count];
        for (int k = 0; k < count; k++) {
            double e = 0;
            for (int i = 0; i < nFft; i++) {
                double v = y[k * hopLength + i];
                e += v * v;
            }
            energy[k] = e;
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> energy[a] != energy[b] ? Double.compare(energy[a], energy[b]) : a - b);
        int use = Math.max(1, (int) Math.ceil(fraction * count - 1e-9));
        int[] picked = new int[use];
        for (int i = 0; i < use; i++) {
            picked[i] = order[i];
        }
        Arrays.sort(picked);
        int bins = nFft / 2 + 1;
        double[][] db = new double[use][];
        double[] w = Window.hann().values(nFft);
        double[] frame = new double[nFft];
        double[] mag = new double[bins];
        DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
        for (int j = 0; j < use; j++) {
            int start = picked[j] * hopLength;
            for (int i = 0; i < nFft; i++) {
                frame[i] = y[start + i] * w[i];
            }
            fft.realForward(frame);
            magnitudes(frame, mag);
            db[j] = new double[bins];
            for (int f = 0; f < bins; f++) {
                db[j][f] = 20 * Math.log10(mag[f] + EPS);
            }
        }
        double[] mean = new double[bins];
        double[] std = new double[bins];
        for (int f = 0; f < bins; f++) {
            double s = 0;
            for (int j = 0; j < use; j++) {
                s += db[j][f];
            }
            double m = s / use;
            double v = 0;
            for (int j = 0; j < use; j++) {
                double d = db[j][f] - m;
                v += d * d;
            }
            mean[f] = m;
            std[f] = Math.sqrt(v / use);
        }
        return new NoiseProfile(sampleRate, nFft, hopLength, use, mean, std);
    }

    /** |X| per bin from JTransforms' packed real spectrum (even n). */
    static void magnitudes(double[] packed, double[] mag) {
        int n = packed.length;
        mag[0] = Math.abs(packed[0]);
        mag[n / 2] = Math.abs(packed[1]);
        for (int k = 1; k < n / 2; k++) {
            mag[k] = Math.sqrt(packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1]);
        }
    }

    /** {@return the rate the profile was measured at, in Hz} */
    public int sampleRate() {
        return sampleRate;
    }

    /** {@return the STFT size it was measured with} */
    public int nFft() {
        return nFft;
    }

    /** {@return the frame step it was measured with} */
    public int hopLength() {
        return hopLength;
    }

    /** {@return how many frames it averages} */
    public int frames() {
        return frames;
    }

    /** {@return the mean level per bin in dB (a copy, {@code n_fft / 2 + 1} values)} */
    public double[] meanDb() {
        return mean.clone();
    }

    /** {@return the standard deviation of the level per bin in dB (a copy)} */
    public double[] stdDb() {
        return std.clone();
    }

    double meanAt(int f) {
        return mean[f];
    }

    double stdAt(int f) {
        return std[f];
    }
}
