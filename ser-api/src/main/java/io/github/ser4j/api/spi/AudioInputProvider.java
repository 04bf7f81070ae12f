package io.github.ser4j.api.spi;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioSource;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * An audio backend found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.github.ser4j.api.spi.AudioInputProvider}. {@link AudioSource#open(Path)} and its
 * siblings use the provider with the highest {@link #priority()}.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor. ser-api creates one instance
 * per JVM (class loader), on first use, and keeps it. Their methods throw the
 * documented {@link io.github.ser4j.api.AudioException} subtypes, never raw runtime exceptions.
 */
public interface AudioInputProvider {
    /** {@return a short name, e.g. {@code "javasound"}} */
    String name();

    /** {@return higher wins when several providers are present} */
    default int priority() {
        return 0;
    }

    /**
     * @param path an audio file
     * @return a source in the file's own format
     * @see AudioSource#open(Path)
     */
    AudioSource open(Path path);

    /**
     * @param in encoded audio; the source takes ownership
     * @return a source in the stream's own format
     * @see AudioSource#open(InputStream)
     */
    AudioSource open(InputStream in);

    /**
     * @param deviceName a device name, or {@code null} for the default
     * @param sampleRate the rate to deliver
     * @return a live mono source
     * @see AudioSource#microphone(String, int)
     */
    AudioSource microphone(String deviceName, int sampleRate);

    /** {@return the capture devices visible to this backend} */
    List<AudioDevice> inputDevices();
}
