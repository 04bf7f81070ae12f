/**
 * Voice-activity detection and speech segmentation: {@link io.github.ser4j.dsp.vad.EnergyVad} (energy against an
 * adaptive noise floor with hysteresis, onset and hangover; registered as the {@code "energy"}
 * {@link io.github.ser4j.api.spi.VadProvider}) and {@link io.github.ser4j.dsp.vad.SpeechSegmenter} (segments with
 * start and end times, auto-stop after silence). Pure Java on float arrays, no audio-device dependency, so inference
 * backends can gate streams with it.
 */
package io.github.ser4j.dsp.vad;
