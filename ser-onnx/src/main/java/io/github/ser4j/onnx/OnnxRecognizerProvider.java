package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.spi.RecognizerProvider;
import io.github.ser4j.onnx.card.ModelCard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX Runtime backend as a {@link RecognizerProvider}, registered in
 * {@code META-INF/services/io.github.ser4j.api.spi.RecognizerProvider}: {@link EmotionRecognizer#create()} loads the
 * default model when {@value OnnxEmotionRecognizer#DEFAULT_MODEL_ARTIFACT} is on the class path,
 * {@link EmotionRecognizer#create(Path)} any ser4j model card, single-model or ensemble
 * ({@link io.github.ser4j.onnx.card.EnsembleCard}).
 *
 * <p>Stateless and thread-safe.
 */
public final class OnnxRecognizerProvider implements RecognizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OnnxRecognizerProvider() {
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public boolean hasDefaultModel() {
        return OnnxEmotionRecognizer.hasDefaultModel();
    }

    @Override
    public EmotionRecognizer createDefault(RecognizerOptions options) {
        return OnnxEmotionRecognizer.loadDefault(options);
    }

    /**
     * {@return true for a readable JSON file whose {@code format} is {@value ModelCard#FORMAT} (single-model or
     * ensemble card)}
     */
    @Override
    public boolean accepts(Path modelCard) {
        try {
            if (!Files.isRegularFile(modelCard) || Files.size(modelCard) > ModelCard.MAX_CARD_BYTES) {
                return false;
            }
            try (InputStream in = Files.newInputStream(modelCard)) {
                return ModelCard.looksLikeCard(in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public EmotionRecognizer create(Path modelCard, RecognizerOptions options) {
        return OnnxEmotionRecognizer.load(modelCard, options);
    }

    @Override
    public String toString() {
        return "OnnxRecognizerProvider[default model " + (hasDefaultModel() ? "present" : "absent") + "]";
    }
}
