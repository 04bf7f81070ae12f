package io.github.ser4j.dsp.spectral;

/**
 * Normalisation of the type-II DCT, scipy's {@code norm} argument of {@code scipy.fft.dct}.
 *
 * <p>Thread-safety: immutable.
 */
public enum DctNorm {
    /** {@code norm='ortho'} (librosa's MFCC default): orthonormal basis. */
    ORTHO,
    /** {@code norm=None}: {@code y[k] = 2 * sum_n x[n] cos(pi k (2n + 1) / (2N))}. */
    NONE
}
