/**
 * Building blocks on arrays, each the counterpart of a librosa function: {@link io.github.ser4j.dsp.spectral.Stft},
 * {@link io.github.ser4j.dsp.spectral.Window}, {@link io.github.ser4j.dsp.spectral.MelFilterBank},
 * {@link io.github.ser4j.dsp.spectral.PowerToDb}, {@link io.github.ser4j.dsp.spectral.Dct},
 * {@link io.github.ser4j.dsp.spectral.Delta}, {@link io.github.ser4j.dsp.spectral.ChromaFilterBank},
 * {@link io.github.ser4j.dsp.spectral.Tuning} and {@link io.github.ser4j.dsp.spectral.Frequencies}. Matrices are
 * {@code float[rows][frames]}, librosa's {@code (features, frames)} layout.
 */
package io.github.ser4j.dsp.spectral;
