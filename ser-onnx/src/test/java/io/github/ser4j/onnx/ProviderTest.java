package io.github.ser4j.onnx;

import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.spi.RecognizerProvider;
import io.github.ser4j.onnx.card.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The backend found through ServiceLoader, and the embedded default model (when the training recipe has landed). */
class ProviderTest {

    @Test
    void registeredThroughServiceLoader() {
        RecognizerProvider p = ServiceLoader.load(RecognizerProvider.class).findFirst().orElseThrow();
        assertInstanceOf(OnnxRecognizerProvider.class, p);
        assertEquals("onnx", p.name());
    }

    @Test
    void createWithACardFindsThisBackend(@TempDir Path dir) throws IOException {
        RecognizerOptions options = RecognizerOptions.builder().intraOpThreads(2)
                .optimizationLevel(RecognizerOptions.OptimizationLevel.BASIC).build();
        try (EmotionRecognizer ser = EmotionRecognizer.create(Fixtures.card("keras_cnn_logmel_nhwc"), options)) {
            assertInstanceOf(OnnxEmotionRecognizer.class, ser);
            assertTrue(ser.recognize(Fixtures.clip("chirp"), 16000).isSpeech());
        }
        Path notACard = Files.writeString(dir.resolve("other.json"), "{\"format\": \"something-else\"}");
        assertFalse(new OnnxRecognizerProvider().accepts(notACard));
        assertThrows(BackendNotFoundException.class, () -> EmotionRecognizer.create(notACard));
        assertThrows(ModelException.class, () -> EmotionRecognizer.create(dir.resolve("missing.json")));
    }

    @Test
    void defaultModelLoadsAndAnswers() {
        assumeTrue(OnnxEmotionRecognizer.hasDefaultModel(), "the default model (" + OnnxEmotionRecognizer
                .DEFAULT_CARD_RESOURCE + ") is not embedded yet: it comes from the training recipe");
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            assertInstanceOf(OnnxEmotionRecognizer.class, ser);
            ModelCard card = ((OnnxEmotionRecognizer) ser).card();
            assertTrue(card.model().sha256().isPresent(), "the default model pins its SHA-256");
            assertFalse(ser.labels().isEmpty());
            assertFalse(ser.model().license().equals("unknown"), "the default card states its licence");
            assertFalse(ser.recognize(new float[16000], 16000).isSpeech());
            EmotionPrediction p = ser.recognize(StreamingTest.bursts(16000, 3.0, new double[][] {{0.2, 2.8}}),
                    16000);
            assertTrue(p.isSpeech());
            float sum = 0;
            for (float v : p.probabilities()) {
                sum += v;
            }
            assertEquals(1f, sum, 1e-3f);
        }
    }

    @Test
    void withoutADefaultModelCreateSaysWhatToDo() {
        assumeFalse(OnnxEmotionRecognizer.hasDefaultModel(), "a default model is embedded");
        assertFalse(new OnnxRecognizerProvider().hasDefaultModel());
        assertTrue(assertThrows(BackendNotFoundException.class, EmotionRecognizer::create).getMessage()
                .contains("default model"));
        assertTrue(assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.loadDefault(
                RecognizerOptions.defaults())).getMessage().contains("EmotionRecognizer.create(Path)"));
    }

    @Test
    void classPathCardsResolveTheirModelBesideThem() {
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.loadResource("/fixtures/torch_waveform_nct/card.json",
                RecognizerOptions.defaults())) {
            assertTrue(ser.recognize(Fixtures.clip("noise"), 16000).isSpeech());
            assertTrue(ser.card().source().startsWith("classpath:"));
        }
        assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.loadResource("/fixtures/nothing/card.json",
                RecognizerOptions.defaults()));
    }
}
