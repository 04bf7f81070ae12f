package io.github.ser4j.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.spi.RecognizerProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test backend that accepts only cards named {@code *.fake.json}, so it never shadows the real default model. The card
 * is {@code {"labels": ["calm", "loud"]}}, optionally with {@code "fail_above_seconds": S} to make the model throw an
 * InferenceException for longer clips. See {@link FakeRecognizer} for what it predicts.
 */
public final class FakeRecognizerProvider implements RecognizerProvider {
    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public boolean hasDefaultModel() {
        return false;
    }

    @Override
    public EmotionRecognizer createDefault(RecognizerOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean accepts(Path modelCard) {
        return modelCard.getFileName().toString().endsWith(".fake.json");
    }

    @Override
    public EmotionRecognizer create(Path modelCard, RecognizerOptions options) {
        try {
            JsonNode card = new ObjectMapper().readTree(modelCard.toFile());
            List<String> labels = new ArrayList<>();
            card.path("labels").forEach(n -> labels.add(n.asText()));
            if (labels.size() < 2) {
                throw new ModelException("fake card " + modelCard + " needs at least two labels");
            }
            double failAbove = card.path("fail_above_seconds").asDouble(Double.POSITIVE_INFINITY);
            return new FakeRecognizer(labels, failAbove, card.path("block").asBoolean(false), options);
        } catch (IOException e) {
            throw new ModelException("cannot read fake card " + modelCard + ": " + e.getMessage(), e);
        }
    }
}
