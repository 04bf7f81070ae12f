/**
 * {@link io.github.ser4j.api.FeatureExtractor} implementations matching librosa 0.11 (names, parameters, defaults and
 * float32 values): {@link io.github.ser4j.dsp.feature.MelSpectrogram}, {@link io.github.ser4j.dsp.feature.Mfcc},
 * {@link io.github.ser4j.dsp.feature.Rms}, {@link io.github.ser4j.dsp.feature.ZeroCrossingRate},
 * {@link io.github.ser4j.dsp.feature.SpectralCentroid}, {@link io.github.ser4j.dsp.feature.SpectralBandwidth},
 * {@link io.github.ser4j.dsp.feature.SpectralRolloff} and {@link io.github.ser4j.dsp.feature.ChromaStft}, each with an
 * immutable builder, a static array form and a streaming form.
 */
package io.github.ser4j.dsp.feature;
