package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.spi.RecognizerProvider;

import java.nio.file.Path;

/** Takes model cards named {@value #CARD} and gives a {@link FakeRecognizer}; registered for the tests only. */
public final class FakeRecognizerProvider implements RecognizerProvider {
    /** The card file name this provider accepts. */
    static final String CARD = "fake-card.json";

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean hasDefaultModel() {
        return false;
    }

    @Override
    public EmotionRecognizer createDefault(RecognizerOptions options) {
        throw new UnsupportedOperationException("the fake backend has no default model");
    }

    @Override
    public boolean accepts(Path modelCard) {
        return modelCard.getFileName().toString().equals(CARD);
    }

    @Override
    public EmotionRecognizer create(Path modelCard, RecognizerOptions options) {
        return new FakeRecognizer(options);
    }
}
