package io.github.ser4j.api;

/**
 * A capture device as an audio backend reports it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name        the name to pass to {@link AudioSource#microphone(String, int)}
 * @param description what the system says about it (vendor, version), possibly empty
 */
public record AudioDevice(String name, String description) {
    /** @throws NullPointerException if a component is null */
    public AudioDevice {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(description, "description");
    }
}
