package io.github.ser4j.api.spi;

import io.github.ser4j.api.vad.VoiceActivityDetector;

/**
 * A voice-activity detector found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.github.ser4j.api.spi.VadProvider}. The provider with the highest {@link #priority()}
 * is the default for streams that do not name a detector.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor. ser-api creates one instance
 * per JVM (class loader), on first use, and keeps it.
 */
public interface VadProvider extends VoiceActivityDetector.Factory {
    /** {@return a short name, e.g. {@code "energy"}} */
    String name();

    /** {@return higher wins when several providers are present; the built-in energy detector has 0} */
    default int priority() {
        return 0;
    }
}
