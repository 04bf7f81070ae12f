package io.github.ser4j.onnx;

import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.spi.RecognizerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend found through ServiceLoader, and what happens without the default model's artifact. */
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

    /** ser-onnx holds no weights: its tests run without ser-model-default, as a user who did not add it. */
    @Test
    void withoutADefaultModelCreateNamesTheArtifactAndTheCardAlternative() {
        assertNull(getClass().getResource("/io/github/ser4j/defaultmodel/card.json"), "no default model in ser-onnx");
        assertNull(getClass().getResource("/io/github/ser4j/defaultmodel/cnn.onnx"), "no weights in ser-onnx");
        assertFalse(OnnxEmotionRecognizer.hasDefaultModel());
        assertFalse(new OnnxRecognizerProvider().hasDefaultModel());
        String viaApi = assertThrows(BackendNotFoundException.class, EmotionRecognizer::create).getMessage();
        String viaOnnx = assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.loadDefault(
                RecognizerOptions.defaults())).getMessage();
        for (String message : new String[] {viaApi, viaOnnx}) {
            assertTrue(message.contains("io.github.ser4j:ser-model-default"), message);
            assertTrue(message.contains("non-commercial"), message);
            assertTrue(message.contains("EmotionRecognizer.create(Path)"), message);
        }
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
