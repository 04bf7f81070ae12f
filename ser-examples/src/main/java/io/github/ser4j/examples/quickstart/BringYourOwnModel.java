package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelInfo;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Quickstart: your own model. A JSON model card names the ONNX file beside it (and its SHA-256), the audio window,
 * the librosa feature stack with librosa's parameter names, the input layout and the labels: see
 * {@code docs/model-card.md}. The default model's {@code card.json} is a complete example.
 *
 * <pre>
 * java -cp ser-examples/target/ser.jar io.github.ser4j.examples.quickstart.BringYourOwnModel my-model/card.json call.wav
 * </pre>
 */
public final class BringYourOwnModel {
    private BringYourOwnModel() {
    }

    public static void main(String[] args) {
        try (EmotionRecognizer ser = EmotionRecognizer.create(Path.of(args[0]))) { // checks the card against the graph
            ModelInfo m = ser.model();
            System.out.printf(Locale.ROOT, "%s %s: %s at %d Hz, %.1f s windows%n", m.name(), m.version(), m.labels(),
                    m.sampleRate(), m.windowSeconds());
            EmotionPrediction p = ser.recognize(Path.of(args[1]));
            System.out.printf(Locale.ROOT, "%s %.3f%n", p.label(), p.confidence());
        }
    }
}
