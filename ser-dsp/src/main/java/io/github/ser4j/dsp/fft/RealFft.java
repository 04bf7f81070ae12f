package io.github.ser4j.dsp.fft;

import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Forward FFT of a real signal of any length {@code n >= 1}, in double precision, with the result of
 * {@code numpy.fft.rfft} / {@code scipy.fft.rfft}: bins {@code 0 .. n/2} of {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}.
 *
 * <p>Powers of two use JTransforms' split-radix real transform. Other lengths use Bluestein's algorithm on a
 * power-of-two JTransforms complex transform with precomputed chirps (JTransforms' own mixed-radix and Bluestein paths
 * allocate a scratch array on every call; this class allocates nothing after construction). The twiddle tables
 * ("plans") are immutable and shared by all instances of the same size, so constructing an instance is cheap.
 *
 * <p>JTransforms is configured once, when this class initialises, with
 * {@code pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1)}: that setting is process-wide. ser-dsp
 * transforms are small and parallelism belongs across frames or streams; JLargeArrays' thread pool creates non-daemon
 * threads that would keep a JVM alive for a minute after its last use.
 *
 * <p>Thread-safety: not thread-safe (it holds scratch buffers); use one instance per thread.
 */
public final class RealFft {

    static {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    private static final int MAX_CACHED_PLANS = 64;
    private static final ConcurrentHashMap<Integer, Plan> PLANS = new ConcurrentHashMap<>();

    private final int n;
    private final int bins;
    private final Plan plan;
    /** Input copy for {@link #forward(double[], double[], double[])}. */
    private final double[] packed;
    /** Bluestein scratch (interleaved complex, m points) and unpacked result. */
    private final double[] work;
    private final double[] re;
    private final double[] im;

    /**
     * @param n transform length (any positive size)
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public RealFft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT size must be >= 1, got " + n);
        }
        this.n = n;
        this.bins = n / 2 + 1;
        Plan p = PLANS.get(n);
        if (p == null) {
            p = new Plan(n);
            if (PLANS.size() < MAX_CACHED_PLANS) {
                PLANS.putIfAbsent(n, p);
            }
        }
        this.plan = p;
        this.packed = new double[n];
        if (p.direct == null && n > 1) {
            work = new double[2 * p.m];
            re = new double[bins];
            im = new double[bins];
        } else {
            work = re = im = null;
        }
    }

    /** {@return the transform length {@code n}} */
    public int size() {
        return n;
    }

    /** {@return the number of output bins, {@code 1 + n/2}} */
    public int binCount() {
        return bins;
    }

    /**
     * Computes {@code numpy.fft.rfft(in)}.
     *
     * @param in {@link #size()} real samples; not modified
     * @param re receives the real parts of the {@link #binCount()} bins
     * @param im receives the imaginary parts of the {@link #binCount()} bins
     * @throws IllegalArgumentException if an array is too short
     */
    public void forward(double[] in, double[] re, double[] im) {
        if (in.length < n || re.length < bins || im.length < bins) {
            throw new IllegalArgumentException("RealFft(" + n + ") needs " + n + " inputs and " + bins
                    + " outputs, got " + in.length + ", " + re.length + ", " + im.length);
        }
        System.arraycopy(in, 0, packed, 0, n);
        forwardPacked(packed);
        re[0] = packed[0];
        im[0] = 0;
        int half = (n - 1) / 2;
        // bins 1 .. (n odd ? half - 1 : half) sit in pairs; the last one of odd n is split (slots n-1 and 1)
        int paired = n % 2 == 0 ? half : half - 1;
        for (int k = 1; k <= paired; k++) {
            re[k] = packed[2 * k];
            im[k] = packed[2 * k + 1];
        }
        if (n % 2 == 0 && n > 1) {
            re[n / 2] = packed[1];
            im[n / 2] = 0;
        } else if (n > 1) {
            // odd n: the last bin sits at the end and in slot 1
            re[half] = packed[n - 1];
            im[half] = packed[1];
        }
    }

    /**
     * Replaces {@code data} by its transform in JTransforms' packed layout ({@code realForward}): {@code data[0]} =
     * Re X0; {@code data[2k]}, {@code data[2k+1]} = Re Xk, Im Xk for {@code 1 <= k < n/2} (rounded down); for even
     * {@code n} {@code data[1]} = Re X(n/2); for odd {@code n} {@code data[n-1]} = Re X((n-1)/2) and {@code data[1]} =
     * Im X((n-1)/2). Allocation-free.
     *
     * @param data {@link #size()} samples, replaced by the transform
     * @throws IllegalArgumentException if the array is too short
     */
    public void forwardPacked(double[] data) {
        if (data.length < n) {
            throw new IllegalArgumentException("RealFft(" + n + ") needs " + n + " values, got " + data.length);
        }
        if (plan.direct != null) {
            plan.direct.realForward(data);
        } else if (n > 1) {
            if (n % 2 == 0) {
                plan.forwardEven(data, work, re, im);
            } else {
                plan.forwardOdd(data, work, re, im);
            }
            data[0] = re[0];
            int half = (n - 1) / 2;
            int paired = n % 2 == 0 ? half : half - 1;
            for (int k = 1; k <= paired; k++) {
                data[2 * k] = re[k];
                data[2 * k + 1] = im[k];
            }
            if (n % 2 == 0) {
                data[1] = re[n / 2];
            } else {
                data[n - 1] = re[half];
                data[1] = im[half];
            }
        }
    }

    /** Immutable twiddle tables of one size; JTransforms' power-of-two transforms only read their tables. */
    private static final class Plan {
        final int n;
        final DoubleFFT_1D direct;
        /** Bluestein: complex DFT of h points (h = n/2 for even n, else n) through a power-of-two m-point FFT. */
        final int h;
        final int m;
        final DoubleFFT_1D conv;
        final double[] chirpRe;
        final double[] chirpIm;
        final double[] kernel;
        /** Even n: e^{-2 pi i k / n} for splitting the half-length transform. */
        final double[] twRe;
        final double[] twIm;

        Plan(int n) {
            this.n = n;
            if ((n & (n - 1)) == 0) {
                direct = n >= 2 ? new DoubleFFT_1D(n) : null;
                h = m = 0;
                conv = null;
                chirpRe = chirpIm = kernel = twRe = twIm = null;
                return;
            }
            direct = null;
            boolean even = n % 2 == 0;
            h = even ? n / 2 : n;
            int size = 1;
            while (size < 2 * h - 1) {
                size <<= 1;
            }
            m = size;
            conv = new DoubleFFT_1D(m);
            chirpRe = new double[h];
            chirpIm = new double[h];
            long period = 2L * h;
            for (int j = 0; j < h; j++) {
                // exp(-i pi j^2 / h); j^2 reduced modulo 2h keeps the angle exact for large j
                double angle = Math.PI * (double) (((long) j * j) % period) / h;
                chirpRe[j] = Math.cos(angle);
                chirpIm[j] = -Math.sin(angle);
            }
            kernel = new double[2 * m];
            for (int j = 0; j < h; j++) {
                // conj(chirp) at lags +j and -j (circularly)
                kernel[2 * j] = chirpRe[j];
                kernel[2 * j + 1] = -chirpIm[j];
                if (j > 0) {
                    kernel[2 * (m - j)] = chirpRe[j];
                    kernel[2 * (m - j) + 1] = -chirpIm[j];
                }
            }
            conv.complexForward(kernel);
            if (even) {
                twRe = new double[h + 1];
                twIm = new double[h + 1];
                for (int k = 0; k <= h; k++) {
                    double angle = 2 * Math.PI * k / n;
                    twRe[k] = Math.cos(angle);
                    twIm[k] = -Math.sin(angle);
                }
            } else {
                twRe = twIm = null;
            }
        }

        /** Bluestein: w = DFT_h(w[0..2h)) in place (interleaved complex). */
        void bluestein(double[] w) {
            for (int j = 0; j < h; j++) {
                double a = w[2 * j];
                double b = w[2 * j + 1];
                w[2 * j] = a * chirpRe[j] - b * chirpIm[j];
                w[2 * j + 1] = a * chirpIm[j] + b * chirpRe[j];
            }
            java.util.Arrays.fill(w, 2 * h, 2 * m, 0.0);
            conv.complexForward(w);
            for (int j = 0; j < m; j++) {
                double a = w[2 * j];
                double b = w[2 * j + 1];
                double c = kernel[2 * j];
                double d = kernel[2 * j + 1];
                w[2 * j] = a * c - b * d;
                w[2 * j + 1] = a * d + b * c;
            }
            conv.complexInverse(w, true);
            for (int k = 0; k < h; k++) {
                double a = w[2 * k];
                double b = w[2 * k + 1];
                w[2 * k] = a * chirpRe[k] - b * chirpIm[k];
                w[2 * k + 1] = a * chirpIm[k] + b * chirpRe[k];
            }
        }

        void forwardOdd(double[] in, double[] w, double[] re, double[] im) {
            for (int j = 0; j < n; j++) {
                w[2 * j] = in[j];
                w[2 * j + 1] = 0;
            }
            bluestein(w);
            for (int k = 0; k <= n / 2; k++) {
                re[k] = w[2 * k];
                im[k] = w[2 * k + 1];
            }
            im[0] = 0;
        }

        void forwardEven(double[] in, double[] w, double[] re, double[] im) {
            // z_j = x_2j + i x_2j+1; Z = DFT_h(z); X_k = E_k + W^k O_k with E, O the spectra of even and odd samples
            System.arraycopy(in, 0, w, 0, n);
            bluestein(w);
            for (int k = 0; k <= h; k++) {
                int kk = k == h ? 0 : k;
                int mk = k == 0 ? 0 : h - k;
                double ar = w[2 * kk];
                double ai = w[2 * kk + 1];
                double br = w[2 * mk];
                double bi = w[2 * mk + 1];
                double er = 0.5 * (ar + br);
                double ei = 0.5 * (ai - bi);
                double or = 0.5 * (ai + bi);
                double oi = -0.5 * (ar - br);
                double tr = twRe[k];
                double ti = twIm[k];
                re[k] = er + tr * or - ti * oi;
                im[k] = ei + tr * oi + ti * or;
            }
            im[0] = 0;
            im[h] = 0;
        }
    }
}
