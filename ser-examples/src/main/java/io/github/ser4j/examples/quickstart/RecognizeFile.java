package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Quickstart: the emotion of a whole clip, with the probability of every label.
 *
 * <pre>
 * java -cp ser-examples/target/ser.jar io.github.ser4j.examples.quickstart.RecognizeFile ser-examples/samples/hello.wav
 * </pre>
 */
public final class RecognizeFile {
    private RecognizeFile() {
    }

    public static void main(String[] args) {
        Path clip = Path.of(args[0]);                                // WAV, AIFF, AU, FLAC (MP3, Ogg... with codecs)
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {  // the default model, from ser-model-default
            EmotionPrediction p = ser.recognize(clip);               // the card's window of the clip, resampled
            System.out.printf(Locale.ROOT, "%s %.3f%n", p.label(), p.confidence());
            for (String label : p.labels()) {                        // "no speech" has every probability 0
                System.out.printf(Locale.ROOT, "  %-10s %.3f%n", label, p.probability(label));
            }
        }
    }
}
