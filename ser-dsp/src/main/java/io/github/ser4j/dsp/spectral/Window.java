package io.github.ser4j.dsp.spectral;

import java.util.Arrays;
import java.util.Objects;

/**
 * An analysis window, as {@code librosa.filters.get_window(window, win_length, fftbins=True)} returns it (which calls
 * {@code scipy.signal.get_window}).
 *
 * <p>{@link #hann()}, {@link #hamming()} and {@link #boxcar()} are the periodic ("DFT-even") windows librosa's STFT uses
 * for {@code window='hann'} and so on. {@link #hannSymmetric()} and {@link #hammingSymmetric()} are the symmetric
 * forms (scipy's {@code fftbins=False}, which librosa users obtain by passing the array
 * {@code scipy.signal.get_window('hann', win_length, fftbins=False)}). {@link #of(double[])} wraps explicit values.
 *
 * <p>Thread-safety: immutable.
 */
public final class Window {
    private enum Kind { GENERAL_COSINE, BOXCAR, VALUES }

    private final String name;
    private final Kind kind;
    private final double a0;
    private final boolean symmetric;
    private final double[] values;

    private Window(String name, Kind kind, double a0, boolean symmetric, double[] values) {
        this.name = name;
        this.kind = kind;
        this.a0 = a0;
        this.symmetric = symmetric;
        this.values = values;
    }

    /** {@return the periodic Hann window, librosa's default {@code window='hann'}} */
    public static Window hann() {
        return new Window("hann", Kind.GENERAL_COSINE, 0.5, false, null);
    }

    /** {@return the symmetric Hann window, {@code scipy.signal.get_window('hann', N, fftbins=False)}} */
    public static Window hannSymmetric() {
        return new Window("hann_symmetric", Kind.GENERAL_COSINE, 0.5, true, null);
    }

    /** {@return the periodic Hamming window, {@code window='hamming'}} */
    public static Window hamming() {
        return new Window("hamming", Kind.GENERAL_COSINE, 0.54, false, null);
    }

    /** {@return the symmetric Hamming window, {@code scipy.signal.get_window('hamming', N, fftbins=False)}} */
    public static Window hammingSymmetric() {
        return new Window("hamming_symmetric", Kind.GENERAL_COSINE, 0.54, true, null);
    }

    /** {@return the rectangular window of ones, {@code window='boxcar'} (also called 'rectangular' or 'ones')} */
    public static Window boxcar() {
        return new Window("boxcar", Kind.BOXCAR, 0, false, null);
    }

    /**
     * @param name a scipy window name: {@code hann}, {@code hamming}, {@code boxcar} (or {@code rectangular},
     *             {@code ones}) for the periodic forms, {@code hann_symmetric}, {@code hamming_symmetric}
     * @return the window
     * @throws IllegalArgumentException for other names
     */
    public static Window named(String name) {
        switch (Objects.requireNonNull(name, "name")) {
            case "hann":
            case "hanning":
                return hann();
            case "hamming":
                return hamming();
            case "boxcar":
            case "rectangular":
            case "ones":
            case "box":
                return boxcar();
            case "hann_symmetric":
                return hannSymmetric();
            case "hamming_symmetric":
                return hammingSymmetric();
            default:
                throw new IllegalArgumentException("window='" + name + "' is not supported; use hann, hamming, boxcar,"
                        + " hann_symmetric, hamming_symmetric or Window.of(values)");
        }
    }

    /**
     * @param values the window samples (copied); its length must equal the {@code win_length} it is used with
     * @return a window with exactly these values
     * @throws IllegalArgumentException if empty or not finite
     */
    public static Window of(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("window values must not be empty");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("window value [" + i + "] is not finite: " + values[i]);
            }
        }
        return new Window("array", Kind.VALUES, 0, false, values.clone());
    }

    /** {@return the librosa/scipy name ({@code hann}, {@code hamming}, {@code boxcar}, ... or {@code array})} */
    public String name() {
        return name;
    }

    /**
     * @param winLength number of samples
     * @return the window values, in double precision as scipy returns them
     * @throws IllegalArgumentException if {@code winLength < 1}, or differs from the length of {@link #of(double[])}
     */
    public double[] values(int winLength) {
        if (winLength < 1) {
            throw new IllegalArgumentException("win_length must be >= 1, got " + winLength);
        }
        switch (kind) {
            case VALUES:
                if (values.length != winLength) {
                    throw new IllegalArgumentException("Window size mismatch: " + values.length + " != " + winLength);
                }
                return values.clone();
            case BOXCAR: {
                double[] w = new double[winLength];
                Arrays.fill(w, 1.0);
                return w;
            }
            default:
                return generalCosine(winLength);
        }
    }

    /** scipy.signal.windows._general_cosine_impl with a = [a0, 1 - a0], same operation order. */
    private double[] generalCosine(int winLength) {
        if (winLength == 1) {
            return new double[] {1.0};
        }
        int m = symmetric ? winLength : winLength + 1;
        double a1 = 1.0 - a0;
        // numpy.linspace(-pi, pi, m): i * step + start, last element exactly stop
        double step = (Math.PI - -Math.PI) / (m - 1);
        double[] w = new double[winLength];
        for (int i = 0; i < winLength; i++) {
            double fac = i == m - 1 ? Math.PI : i * step + -Math.PI;
            w[i] = a0 + a1 * Math.cos(fac);
        }
        return w;
    }

    /**
     * The window of {@code winLength} samples centred in {@code nFft} zeros, as {@code librosa.util.pad_center}.
     *
     * @param winLength window length, {@code <= nFft}
     * @param nFft      FFT length
     * @return {@code nFft} values
     * @throws IllegalArgumentException if {@code winLength > nFft}
     */
    public double[] padded(int winLength, int nFft) {
        if (winLength > nFft) {
            throw new IllegalArgumentException("win_length=" + winLength + " must be <= n_fft=" + nFft);
        }
        double[] w = values(winLength);
        double[] out = new double[nFft];
        System.arraycopy(w, 0, out, (nFft - winLength) / 2, winLength);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window other && kind == other.kind && a0 == other.a0 && symmetric == other.symmetric
                && name.equals(other.name) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return name;
    }
}
