package io.github.ser4j.bench;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.onnx.OnnxEmotionRecognizer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model the ONNX and end-to-end benchmarks run: the embedded default model, or the model card named by the
 * system property {@value #CARD_PROPERTY} (pass it with {@code -jvmArgsAppend -Dser4j.bench.card=/path/card.json}),
 * so that a model of one's own is measured by the same code.
 */
final class BenchModel {
    /** System property naming a model card to benchmark instead of the default model. */
    static final String CARD_PROPERTY = "ser4j.bench.card";

    private BenchModel() {
    }

    /**
     * @return the card named by {@value #CARD_PROPERTY}, or null for the default model
     * @throws IllegalStateException if the named card is not a file, or no card is named and the default model is not
     *                               embedded
     */
    static Path card() {
        String card = System.getProperty(CARD_PROPERTY);
        if (card == null || card.isBlank()) {
            if (!OnnxEmotionRecognizer.hasDefaultModel()) {
                throw new IllegalStateException(OnnxEmotionRecognizer.noDefaultModelMessage() + " (or name a card "
                        + "with -D" + CARD_PROPERTY + "=...), so ONNX benchmarks cannot run");
            }
            return null;
        }
        Path path = Path.of(card);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("-D" + CARD_PROPERTY + "=" + card + ": no such model card file");
        }
        return path;
    }

    /**
     * @param card {@link #card()}
     * @return the chosen model through ser-onnx (for benchmarks that need its pipeline and card)
     */
    static OnnxEmotionRecognizer loadOnnx(Path card) {
        return card == null ? OnnxEmotionRecognizer.loadDefault(RecognizerOptions.defaults())
                : OnnxEmotionRecognizer.load(card);
    }

    /** {@return the chosen model through the public API, as an application creates it} */
    static EmotionRecognizer create() {
        Path card = card();
        return card == null ? EmotionRecognizer.create() : EmotionRecognizer.create(card);
    }
}
