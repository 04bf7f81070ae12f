/**
 * Prosodic and voice-quality descriptors: {@link io.github.ser4j.dsp.prosody.Yin} (F0 and aperiodicity per hop) and
 * {@link io.github.ser4j.dsp.prosody.Functionals} (a clip-level vector of 139 prosodic and spectral functionals), both
 * equal, to rounding, to the numpy definition in ser4j's {@code training/functionals.py} that models are trained on.
 */
package io.github.ser4j.dsp.prosody;
