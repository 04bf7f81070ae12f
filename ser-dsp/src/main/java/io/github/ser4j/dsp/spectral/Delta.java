package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;

/**
 * {@code librosa.feature.delta(data, width=width, order=order, axis=-1, mode='interp')}: Savitzky-Golay derivative
 * along the frames, i.e. {@code scipy.signal.savgol_filter(data, width, polyorder=order, deriv=order, mode='interp')}.
 *
 * <p>Inside, each value is the {@code order}-th derivative at the window centre of the least-squares polynomial of
 * degree {@code order} through the {@code width} surrounding frames; in the first and last {@code width // 2} frames
 * ({@code mode='interp'}) it is the derivative of the polynomial fitted to the first (last) {@code width} frames,
 * evaluated at that frame. Sums are accumulated in double and rounded to float, as scipy does for float32 data.
 *
 * <p>Thread-safety: stateless.
 */
public final class Delta {
    private Delta() {
    }

    /**
     * @param data  {@code features x frames}; not modified
     * @param width odd window length {@code >= 3} (librosa default 9), at most the number of frames
     * @param order derivative order {@code >= 1} (1 = delta, 2 = delta-delta), {@code < width}
     * @return the derivative, same shape
     * @throws IllegalArgumentException for an invalid width or order, or fewer frames than width (librosa raises)
     */
    public static float[][] delta(float[][] data, int width, int order) {
        int frames = Checks.matrix(data, -1, "data");
        if (width < 3 || width % 2 != 1) {
            throw new IllegalArgumentException("width must be an odd integer >= 3, got " + width);
        }
        if (order < 1) {
            throw new IllegalArgumentException("order must be a positive integer, got " + order);
        }
        if (order >= width) {
            throw new IllegalArgumentException("order=" + order + " (the polynomial order) must be less than width="
                    + width);
        }
        if (width > frames) {
            throw new IllegalArgumentException("when mode='interp', width=" + width
                    + " cannot exceed data.shape[axis]=" + frames);
        }
        int half = width / 2;
        double[] centre = weights(width, order, half);
        double[][] left = new double[half][];
        double[][] right = new double[half][];
        for (int p = 0; p < half; p++) {
            left[p] = weights(width, order, p);
            right[p] = weights(width, order, width - half + p);
        }
        float[][] out = new float[data.length][frames];
        for (int r = 0; r < data.length; r++) {
            float[] x = data[r];
            float[] y = out[r];
            for (int t = half; t < frames - half; t++) {
                y[t] = dot(centre, x, t - half);
            }
            for (int p = 0; p < half; p++) {
                y[p] = dot(left[p], x, 0);
                y[frames - half + p] = dot(right[p], x, frames - width);
            }
        }
        return out;
    }

    private static float dot(double[] w, float[] x, int start) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * x[start + i];
        }
        return (float) sum;
    }

    /**
     * Weights giving the {@code deriv}-th derivative at position {@code position} of the least-squares polynomial of degree
     * {@code deriv} through samples at positions {@code 0 .. width-1}.
     */
    static double[] weights(int width, int deriv, int position) {
        int degree = deriv;
        int m = degree + 1;
        double centre = (width - 1) / 2.0;
        // normal equations in centred coordinates: (A^T A) c = A^T e_i for every sample i at once
        double[][] ata = new double[m][m];
        double[][] vt = new double[m][width];
        for (int i = 0; i < width; i++) {
            double x = i - centre;
            double pow = 1;
            for (int p = 0; p < m; p++) {
                vt[p][i] = pow;
                pow *= x;
            }
        }
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < m; q++) {
                double s = 0;
                for (int i = 0; i < width; i++) {
                    s += vt[p][i] * vt[q][i];
                }
                ata[p][q] = s;
            }
        }
        double[][] coef = solve(ata, vt);
        // d^deriv/dx^deriv of sum_p c_p x^p at x = position - centre
        double x = position - centre;
        double[] w = new double[width];
        for (int p = deriv; p < m; p++) {
            double factor = 1;
            for (int f = p; f > p - deriv; f--) {
                factor *= f;
            }
            factor *= Math.pow(x, p - deriv);
            for (int i = 0; i < width; i++) {
                w[i] += factor * coef[p][i];
            }
        }
        return w;
    }

    /** Gauss-Jordan elimination with partial pivoting: returns a^-1 b. */
    private static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int cols = b[0].length;
        double[][] m = new double[n][];
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
            r[i] = b[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(m[i][c]) > Math.abs(m[pivot][c])) {
                    pivot = i;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            t = r[c];
            r[c] = r[pivot];
            r[pivot] = t;
            double d = m[c][c];
            for (int j = 0; j < n; j++) {
                m[c][j] /= d;
            }
            for (int j = 0; j < cols; j++) {
                r[c][j] /= d;
            }
            for (int i = 0; i < n; i++) {
                if (i != c && m[i][c] != 0) {
                    double f = m[i][c];
                    for (int j = 0; j < n; j++) {
                        m[i][j] -= f * m[c][j];
                    }
                    for (int j = 0; j < cols; j++) {
                        r[i][j] -= f * r[c][j];
                    }
                }
            }
        }
        return r;
    }
}
