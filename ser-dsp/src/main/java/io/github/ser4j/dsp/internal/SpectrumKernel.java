package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.fft.RealFft;

/**
 * One STFT column, as {@code np.abs(librosa.stft(y)[:, t]) ** power}: the float32 frame times the float64 window, a
 * float64 FFT, the complex result rounded to complex64 (librosa's STFT dtype for float32 input), then the float32
 * magnitude (numpy's algorithm, see {@link #abs}) and power. Not thread-safe. Not API.
 */
public final class SpectrumKernel implements FrameProcessor {
    private final int nFft;
    private final int bins;
    private final double[] window;
    private final int winStart;
    private final int winEnd;
    private final double power;
    private final RealFft fft;
    private final double[] frame;
    private final float[] re;
    private final float[] im;

    /**
     * @param paddedWindow window of {@code n_fft} values (already centred with zeros); not modified, not copied
     * @param winStart     first non-padding window index
     * @param winEnd       one past the last non-padding window index
     * @param power        exponent of the magnitude (1 = magnitude, 2 = power)
     */
    public SpectrumKernel(double[] paddedWindow, int winStart, int winEnd, double power) {
        this.nFft = paddedWindow.length;
        this.bins = nFft / 2 + 1;
        this.window = paddedWindow;
        this.winStart = winStart;
        this.winEnd = winEnd;
        this.power = power;
        this.fft = new RealFft(nFft);
        this.frame = new double[nFft];
        this.re = new float[bins];
        this.im = new float[bins];
    }

    @Override
    public int outputSize() {
        return bins;
    }

    @Override
    public void process(float[] src, int offset, float[] out) {
        double[] f = frame;
        double[] w = window;
        // the in-place FFT overwrote the zero padding of the previous frame
        java.util.Arrays.fill(f, 0, winStart, 0.0);
        for (int j = winStart; j < winEnd; j++) {
            f[j] = src[offset + j] * w[j];
        }
        java.util.Arrays.fill(f, winEnd, nFft, 0.0);
        fft.forwardPacked(f);
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
