/**
 * Real-input FFT of any length on JTransforms ({@link io.github.ser4j.dsp.fft.RealFft}), configured never to start
 * threads.
 */
package io.github.ser4j.dsp.fft;
