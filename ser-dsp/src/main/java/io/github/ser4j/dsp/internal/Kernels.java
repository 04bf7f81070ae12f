package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.spectral.Stft;

import java.util.concurrent.ConcurrentHashMap;

/** Builds the framing and per-frame kernels of an {@link Stft} configuration. Not API. */
public final class Kernels {
    private static final int MAX_CACHED_WINDOWS = 64;
    /** Padded windows by (name, win_length, n_fft); never modified once computed. */
    private static final ConcurrentHashMap<String, double[]> WINDOWS = new ConcurrentHashMap<>();

    private Kernels() {
    }

    private static double[] paddedWindow(Stft stft) {
        if (stft.window().name().equals("array")) {
            return stft.window().padded(stft.winLength(), stft.nFft());
        }
        String key = stft.window().name() + '/' + stft.winLength() + '/' + stft.nFft();
        double[] w = WINDOWS.get(key);
        if (w == null) {
            w = stft.window().padded(stft.winLength(), stft.nFft());
            if (WINDOWS.size() < MAX_CACHED_WINDOWS) {
                WINDOWS.putIfAbsent(key, w);
            }
        }
        return w;
    }

    /**
     * @param stft configuration
     * @return librosa.stft's framing
     */
    public static Framer framer(Stft stft) {
        return new Framer(stft.nFft(), stft.hopLength(), stft.center(), stft.padMode(), true);
    }

    /**
     * @param stft  configuration
     * @param power magnitude exponent
     * @return a new (not thread-safe) kernel computing one spectrum column
     */
    public static SpectrumKernel spectrum(Stft stft, double power) {
        int winStart = (stft.nFft() - stft.winLength()) / 2;
        return new SpectrumKernel(paddedWindow(stft), winStart, winStart + stft.winLength(), power);
    }

    /**
     * @param stft  configuration
     * @param power magnitude exponent
     * @return a new (not thread-safe) kernel computing one spectrum column for a mel filter bank: with power 2
     *     {@code re * re + im * im} of the double bins rounded once (see {@link SpectrumKernel}), about a float32 ulp
     *     from numpy's {@code np.abs(S) ** 2}
     */
    public static SpectrumKernel melSpectrum(Stft stft, double power) {
        int winStart = (stft.nFft() - stft.winLength()) / 2;
        return new SpectrumKernel(paddedWindow(stft), winStart, winStart + stft.winLength(), power, true);
    }

    /**
     * Logs librosa's "n_fft is too large" warning (once per n_fft) for a centred signal shorter than n_fft.
     *
     * @param stft   configuration
     * @param length signal length
     */
    public static void warnIfShort(Stft stft, int length) {
        if (stft.center() && stft.nFft() > length) {
            WarnOnce.warn(Stft.class, "nfft-too-large:" + stft.nFft(),
                    "n_fft={} is too large for input signal of length={} (logged once per n_fft)", stft.nFft(), length);
        }
    }
}
