/**
 * Noise reduction before feature extraction: {@link io.github.ser4j.dsp.denoise.SpectralGate}, spectral gating with
 * the parameters of the Python {@code noisereduce} package, stationary (against a
 * {@link io.github.ser4j.dsp.denoise.NoiseProfile}) or non-stationary (a causal running-minimum noise floor), for
 * whole signals and, bit-identically, for chunked audio ({@link io.github.ser4j.dsp.denoise.GateStream}).
 */
package io.github.ser4j.dsp.denoise;
