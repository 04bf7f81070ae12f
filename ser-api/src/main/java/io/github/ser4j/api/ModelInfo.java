package io.github.ser4j.api;

import java.util.List;
import java.util.Objects;

/**
 * What a recogniser's model is: its labels and the audio it expects, and where it came from.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name          the model's name, e.g. {@code "ser4j-default"}
 * @param version       the model's version
 * @param labels        output labels, in output order
 * @param sampleRate    the rate, in Hz, audio is resampled to before features are computed
 * @param windowSeconds the default streaming window
 * @param hopSeconds    the default streaming hop
 * @param license       the licence of the model weights (may differ from the code's)
 * @param description   provenance: training data, metrics, intended use
 */
public record ModelInfo(String name, String version, List<String> labels, int sampleRate, double windowSeconds,
                        double hopSeconds, String license, String description) {
    /** @throws NullPointerException if a component is null */
    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        labels = List.copyOf(labels);
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(description, "description");
    }
}
