package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.fft.RealFft;

/**
 * One STFT column, as {@code np.abs(librosa.stft(y)[:, t]) ** power}: the float32 frame times the float64 window, a
 * float64 FFT, the complex result rounded to complex64 (librosa's STFT dtype for float32 input), then the float32
 * magnitude (numpy's algorithm, see {@link #abs}) and power; or, for a mel filter bank, the power rounded once
 * ({@code squaredNorm}). Not thread-safe. Not API.
 */
public final class SpectrumKernel implements FrameProcessor {
    private final int nFft;
    private final int bins;
    private final double[] window;
    private final int winStart;
    private final int winEnd;
    private final double power;
    /** power 2 as re * re + im * im of the double bins, rounded once (numpy: complex64 bins, float32 abs, squared). */
    private final boolean squaredNorm;
    private final RealFft fft;
    /** The fused transform and power of {@link PowerFft} when squaredNorm and the size allows it, else null. */
    private final PowerFft powerFft;
    private final double[] frame;
    /** The window's non-padding part, and the frame's samples under it (copied so that the product loop vectorises). */
    private final double[] windowCore;
    private final float[] segment;
    private final float[] re;
    private final float[] im;

    /**
     * @param paddedWindow window of {@code n_fft} values (already centred with zeros); not modified, not copied
     * @param winStart     first non-padding window index
     * @param winEnd       one past the last non-padding window index
     * @param power        exponent of the magnitude (1 = magnitude, 2 = power)
     */
    public SpectrumKernel(double[] paddedWindow, int winStart, int winEnd, double power) {
        this(paddedWindow, winStart, winEnd, power, false);
    }

    /**
     * @param paddedWindow window of {@code n_fft} values (already centred with zeros); not modified, not copied
     * @param winStart     first non-padding window index
     * @param winEnd       one past the last non-padding window index
     * @param power        exponent of the magnitude (1 = magnitude, 2 = power)
     * @param squaredNorm  with power 2: {@code re * re + im * im} of the double bins, rounded once to float32
     *                     (librosa rounds the bins to complex64, numpy then rounds {@code |X|} and its square: about a
     *                     float32 ulp apart), computed straight from the transform ({@link PowerFft} for powers of
     *                     two from 64 to 512): one pass without division or square root instead of three
     */
    public SpectrumKernel(double[] paddedWindow, int winStart, int winEnd, double power, boolean squaredNorm) {
        this.squaredNorm = squaredNorm && power == 2.0 && paddedWindow.length % 2 == 0;
        this.nFft = paddedWindow.length;
        this.bins = nFft / 2 + 1;
        this.window = paddedWindow;
        this.winStart = winStart;
        this.winEnd = winEnd;
        this.power = power;
        this.powerFft = this.squaredNorm ? PowerFft.of(nFft) : null;
        this.fft = powerFft == null ? new RealFft(nFft) : null;
        this.frame = new double[nFft];
        this.windowCore = java.util.Arrays.copyOfRange(paddedWindow, winStart, winEnd);
        this.segment = new float[winEnd - winStart];
        this.re = powerFft == null ? new float[bins] : null;
        this.im = powerFft == null ? new float[bins] : null;
    }

    @Override
    public int outputSize() {
        return bins;
    }

    @Override
    public void process(float[] src, int offset, float[] out) {
        double[] f = frame;
        if (winStart == 0) {
            // copy first: with every index starting at 0, C2 vectorises the product (src[offset + j] it does not)
            float[] s = segment;
            double[] w = windowCore;
            System.arraycopy(src, offset, s, 0, s.length);
            for (int j = 0; j < s.length; j++) {
                f[j] = s[j] * w[j];
            }
        } else {
            double[] w = window;
            // the in-place FFT overwrote the zero padding of the previous frame
            java.util.Arrays.fill(f, 0, winStart, 0.0);
            for (int j = winStart; j < winEnd; j++) {
                f[j] = src[offset + j] * w[j];
            }
        }
        java.util.Arrays.fill(f, winEnd, nFft, 0.0);
        if (powerFft != null) {
            powerFft.power(f, out);
            return;
        }
        fft.forwardPacked(f);
        if (squaredNorm) {
            squaredNorm(f, out);
            return;
        }
        // unpack first, then branch-free loops over float arrays: these vectorise (a fused loop does not)
        unpack(f);
        if (power == 2.0) {
            for (int k = 0; k < bins; k++) {
                float mag = abs(re[k], im[k]);
                out[k] = mag * mag;
            }
        } else if (power == 1.0) {
            for (int k = 0; k < bins; k++) {
                out[k] = abs(re[k], im[k]);
            }
        } else {
            for (int k = 0; k < bins; k++) {
                float mag = abs(re[k], im[k]);
                out[k] = power == 0.5 ? (float) Math.sqrt(mag) : (float) Math.pow(mag, power);
            }
        }
    }

    /** |X|^2 of the bins of a packed transform of even length, each rounded once to float32. */
    private void squaredNorm(double[] f, float[] out) {
        int h = nFft / 2;
        double dc = f[0];
        out[0] = (float) (dc * dc);
        for (int k = 1; k < h; k++) {
            double r = f[2 * k];
            double i = f[2 * k + 1];
            out[k] = (float) (r * r + i * i);
        }
        double nyquist = f[1];
        out[h] = (float) (nyquist * nyquist);
    }

    /** Packed double transform to complex64 bins. */
    private void unpack(double[] f) {
        int n = nFft;
        re[0] = (float) f[0];
        im[0] = 0f;
        int half = (n - 1) / 2;
        // bins 1 .. (n odd ? half - 1 : half) sit in pairs; the last one of odd n is split (slots n-1 and 1)
        int paired = n % 2 == 0 ? half : half - 1;
        for (int k = 1; k <= paired; k++) {
            re[k] = (float) f[2 * k];
            im[k] = (float) f[2 * k + 1];
        }
        if (n % 2 == 0) {
            if (n > 1) {
                re[n / 2] = (float) f[1];
                im[n / 2] = 0f;
            }
        } else if (n > 1) {
            re[half] = (float) f[n - 1];
            im[half] = (float) f[1];
        }
    }

    /**
     * {@code np.abs} of a complex64 value as numpy 2.x computes it (its SIMD loop on x86-64 and ARM64):
     * {@code larger * sqrt(fma(ratio, ratio, 1))} with {@code ratio = smaller / larger}, all in float32. This differs
     * from the correctly rounded hypot in about a third of the cases (by one ulp). Branch-free so that loops over it
     * vectorise; a zero value gives {@code 0 / MIN_VALUE = 0}.
     *
     * @param re real part
     * @param im imaginary part
     * @return the magnitude, float32
     */
    static float abs(float re, float im) {
        float a = Math.abs(re);
        float b = Math.abs(im);
        float larger = Math.max(a, b);
        float smaller = Math.min(a, b);
        float ratio = smaller / Math.max(larger, Float.MIN_VALUE);
        return (float) Math.sqrt(Math.fma(ratio, ratio, 1f)) * larger;
    }
}
