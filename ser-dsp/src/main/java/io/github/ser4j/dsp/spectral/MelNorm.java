package io.github.ser4j.dsp.spectral;

/**
 * Normalisation of mel filters, librosa's {@code norm} argument of {@code librosa.filters.mel}.
 *
 * <p>Thread-safety: immutable.
 */
public enum MelNorm {
    /** {@code norm='slaney'} (default): each triangle divided by its width in Hz (constant energy per channel). */
    SLANEY,
    /** {@code norm=None}: triangles peak at 1. */
    NONE
}
