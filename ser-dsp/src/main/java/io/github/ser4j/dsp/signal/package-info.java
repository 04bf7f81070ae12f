/**
 * Signal conditioning before feature extraction: band-limited resampling between any two integer rates
 * ({@link io.github.ser4j.dsp.signal.Resampler}, batch, and {@link io.github.ser4j.dsp.signal.ResamplerStream} for
 * chunked audio, in the quality class of librosa's default {@code res_type='soxr_hq'}), mono down-mix, pre-emphasis
 * and peak / RMS normalisation ({@link io.github.ser4j.dsp.signal.Signals}, matching {@code librosa.to_mono} and
 * {@code librosa.effects.preemphasis}), and {@link io.github.ser4j.dsp.signal.AudioSources}, which brings any
 * {@link io.github.ser4j.api.AudioSource} to mono at a model's rate on the fly.
 */
package io.github.ser4j.dsp.signal;
