package io.github.ser4j.examples.cli;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --model CARD} option shared by the commands that run a model. */
public final class ModelOption {
    @Option(names = "--model", paramLabel = "CARD",
            description = "Model card (JSON) beside its model file. Default: the embedded default model.")
    Path card;

    /** Creates the option; picocli fills it in. */
    public ModelOption() {
    }

    /** {@return the card given on the command line, or null for the embedded default} */
    public Path card() {
        return card;
    }

    /**
     * Loads the chosen model.
     *
     * @param options how to run it
     * @return a recogniser the caller must close
     */
    public EmotionRecognizer open(RecognizerOptions options) {
        return card == null ? EmotionRecognizer.create(options) : EmotionRecognizer.create(card, options);
    }
}
