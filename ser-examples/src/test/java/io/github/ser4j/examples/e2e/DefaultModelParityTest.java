package io.github.ser4j.examples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.examples.io.AudioFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default model end to end (WAV decode → card pipeline → ONNX Runtime) against Python's probabilities
 * for the same files: librosa 0.11 features and Python onnxruntime, written by {@code python -m training.recipe
 * check-e2e} into {@code src/test/resources/default-model/expected.json}. The expected values are pinned to the
 * model's SHA-256, so a retrained model without regenerated expectations fails here instead of passing vacuously.
 */
class DefaultModelParityTest {
    private static final String MODEL = "/io/github/ser4j/defaultmodel/model.onnx";
    /** Float32 features and a float32 network: differences come from summation order, far below this. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void embeddedModelReproducesPythonOnTheSamples() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/default-model/expected.json")) {
            assertNotNull(in, "default-model/expected.json on the test class path");
            expected = new ObjectMapper().readTree(in);
        }
        try (InputStream model = EmotionRecognizer.class.getResourceAsStream(MODEL)) {
            assertNotNull(model, "ser-model-default (a dependency of ser-examples) on the class path");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model.readAllBytes()));
            assertEquals(expected.get("model_sha256").asText(), sha,
                    "expected.json was computed for another model: rerun `python -m training.recipe expected`");
        }
        Assumptions.assumeFalse(AudioSource.backend().name().startsWith("fake"), "skipped: no real audio backend");
        List<String> labels = new ArrayList<>();
        expected.get("labels").forEach(l -> labels.add(l.asText()));
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            assertEquals(labels, ser.labels());
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("clips").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> clip = it.next();
                // Python recognises each sample as one clip (its centre 3 s), as recognize(float[], int) does;
                // recognize(Path) would analyse the longer samples whole
                AudioFiles.Mono y = AudioFiles.load(Path.of("samples").resolve(clip.getKey()), 0);
                EmotionPrediction p = ser.recognize(y.samples(), y.sampleRate());
                assertTrue(p.isSpeech(), clip.getKey() + " has speech");
                float[] got = p.probabilities();
                for (int k = 0; k < labels.size(); k++) {
                    assertEquals(clip.getValue().get(k).asDouble(), got[k], TOLERANCE,
                            clip.getKey() + " p(" + labels.get(k) + ")");
                }
                checked++;
            }
            assertTrue(checked >= 4, "clips checked: " + checked);
        }
    }
}
