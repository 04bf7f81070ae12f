package io.github.ser4j.api.spi;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;

import java.nio.file.Path;

/**
 * An inference backend found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.github.ser4j.api.spi.RecognizerProvider}. {@link EmotionRecognizer#create()} uses the
 * highest-priority provider that {@link #hasDefaultModel() has a default model}; {@link EmotionRecognizer#create(Path)}
 * the highest-priority one that {@link #accepts(Path) accepts} the card.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor. ser-api creates one instance
 * per JVM (class loader), on first use, and keeps it.
 */
public interface RecognizerProvider {
    /** {@return a short name, e.g. {@code "onnx"}} */
    String name();

    /** {@return higher wins when several providers are present} */
    default int priority() {
        return 0;
    }

    /** {@return whether {@link #createDefault(RecognizerOptions)} works (a default model is on the class path)} */
    boolean hasDefaultModel();

    /**
     * @param options session options
     * @return a recogniser on the default model
     */
    EmotionRecognizer createDefault(RecognizerOptions options);

    /**
     * Cheap check, without loading the model, whether this backend handles a model card.
     *
     * @param modelCard path of a model card
     * @return true if {@link #create(Path, RecognizerOptions)} should be tried with it
     */
    boolean accepts(Path modelCard);

    /**
     * @param modelCard path of a model card
     * @param options   session options
     * @return a recogniser on that model
     * @throws io.github.ser4j.api.ModelException if the card or model is unusable
     */
    EmotionRecognizer create(Path modelCard, RecognizerOptions options);
}
