package io.github.ser4j.api.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * A model shipped as a jar: a model card ({@value #CARD}) and the files it names, found through
 * {@link java.util.ServiceLoader} (list the class in {@code META-INF/services/io.github.ser4j.api.spi.PackagedModel},
 * or {@code provides} it in {@code module-info.java}). Inference backends load the one whose {@link #id()} is
 * {@value #DEFAULT_ID} for {@link io.github.ser4j.api.EmotionRecognizer#create()}; the artifact
 * {@code io.github.ser4j:ser-model-default} provides it.
 *
 * <p>The files are read through the provider's own class, so they may sit in a package the module does not open.
 * Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface PackagedModel {
    /** The {@link #id()} of the model that {@link io.github.ser4j.api.EmotionRecognizer#create()} loads. */
    String DEFAULT_ID = "default";
    /** The name of the model card among the model's files. */
    String CARD = "card.json";

    /** {@return the name the model is looked up by, e.g. {@value #DEFAULT_ID}} */
    String id();

    /**
     * Opens one of the model's files.
     *
     * @param relativePath {@value #CARD} or a file the card names: relative, '/'-separated, inside the model's folder
     *                     (callers check that before asking)
     * @return a new stream the caller closes, or {@code null} if the model has no such file
     * @throws IOException if the file exists but cannot be opened
     */
    InputStream open(String relativePath) throws IOException;
}
