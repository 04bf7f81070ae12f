package io.github.ser4j.dsp.vad;

import io.github.ser4j.api.spi.VadProvider;
import io.github.ser4j.api.vad.VoiceActivityDetector;

/**
 * Registers {@link EnergyVad} with its default settings as the {@link VadProvider} named {@value EnergyVad#NAME},
 * priority 0 (a model-based detector with a higher priority replaces it as the default).
 *
 * <p>Stateless, immutable and thread-safe.
 */
public final class EnergyVadProvider implements VadProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public EnergyVadProvider() {
    }

    @Override
    public String name() {
        return EnergyVad.NAME;
    }

    /**
     * @param sampleRate the rate of the stream, in Hz, at least {@value EnergyVad#MIN_SAMPLE_RATE}
     * @return a new {@link EnergyVad} with the default settings
     * @throws IllegalArgumentException if the rate is out of range
     */
    @Override
    public VoiceActivityDetector create(int sampleRate) {
        return EnergyVad.create(sampleRate);
    }
}
