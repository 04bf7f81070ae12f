package io.github.ser4j.examples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.SpeakerContext;
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
 * The embedded default model end to end (WAV decode → each member's card pipeline → ONNX Runtime → the ensemble's
 * weighted mean) against Python's probabilities and arousal/valence for the same files: librosa 0.11 log-mel, numpy
 * functionals and Python onnxruntime, written by {@code python -m training.default_model expected} into
 * {@code src/test/resources/default-model/expected.json}. The expected values are pinned to the SHA-256 of the
 * ensemble card (which pins its member cards, which pin their models), so a retrained model without regenerated
 * expectations fails here instead of passing vacuously.
 */
class DefaultModelParityTest {
    private static final String CARD = "/io/github/ser4j/defaultmodel/card.json";
    /** Float32 features and a float32 network: differences come from summation order, far below this. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void embeddedModelReproducesPythonOnTheSamples() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/default-model/expected.json")) {
            assertNotNull(in, "default-model/expected.json on the test class path");
            expected = new ObjectMapper().readTree(in);
        }
        try (InputStream card = EmotionRecognizer.class.getResourceAsStream(CARD)) {
            assertNotNull(card, "ser-model-default (a dependency of ser-examples) on the class path");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(card.readAllBytes()));
            assertEquals(expected.get("card_sha256").asText(), sha,
                    "expected.json was computed for another model: rerun `python -m training.default_model expected`");
        }
        Assumptions.assumeFalse(AudioSource.backend().name().startsWith("fake"), "skipped: no real audio backend");
        List<String> labels = new ArrayList<>();
        expected.get("labels").forEach(l -> labels.add(l.asText()));
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            assertEquals(labels, ser.labels());
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("clips").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> clip = it.next();
                // Python recognises each sample as one clip without a speaker context (the CNN on its centre 3 s,
                // the single-clip functionals model on all of it), as recognize(float[], int) does; recognize(Path)
                // would analyse the longer samples whole, as windows with the adapted member
                AudioFiles.Mono y = AudioFiles.load(Path.of("samples").resolve(clip.getKey()), 0);
                EmotionPrediction p = ser.recognize(y.samples(), y.sampleRate());
                assertTrue(p.isSpeech(), clip.getKey() + " has speech");
                float[] got = p.probabilities();
                for (int k = 0; k < labels.size(); k++) {
                    assertEquals(clip.getValue().get(k).asDouble(), got[k], TOLERANCE,
                            clip.getKey() + " p(" + labels.get(k) + ")");
                }
                JsonNode av = expected.get("arousal_valence").get(clip.getKey());
                assertEquals(av.get(0).asDouble(), p.arousal().orElseThrow(), TOLERANCE, clip.getKey() + " arousal");
                assertEquals(av.get(1).asDouble(), p.valence().orElseThrow(), TOLERANCE, clip.getKey() + " valence");
                checked++;
            }
            assertTrue(checked >= 4, "clips checked: " + checked);
        }
    }

    @Test
    void embeddedModelReproducesPythonAdaptedToOneSpeaker() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/default-model/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        Assumptions.assumeFalse(AudioSource.backend().name().startsWith("fake"), "skipped: no real audio backend");
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            // Python's running statistics: one context, the clips in expected.json's order, each recognised whole
            SpeakerContext speaker = ser.newSpeakerContext();
            assertTrue(speaker.adaptive(), "the default model adapts");
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("adapted").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> clip = it.next();
                AudioFiles.Mono y = AudioFiles.load(Path.of("samples").resolve(clip.getKey()), 0);
                EmotionPrediction p = ser.recognize(y.samples(), y.sampleRate(), speaker);
                float[] got = p.probabilities();
                for (int k = 0; k < got.length; k++) {
                    assertEquals(clip.getValue().get(k).asDouble(), got[k], TOLERANCE,
                            clip.getKey() + " adapted p(" + ser.labels().get(k) + ")");
                }
                JsonNode av = expected.get("adapted_arousal_valence").get(clip.getKey());
                assertEquals(av.get(0).asDouble(), p.arousal().orElseThrow(), TOLERANCE, clip.getKey() + " arousal");
                assertEquals(av.get(1).asDouble(), p.valence().orElseThrow(), TOLERANCE, clip.getKey() + " valence");
                checked++;
            }
            assertEquals(checked, speaker.clips(), "every clip entered the speaker's statistics");
            assertTrue(checked >= 4, "clips checked: " + checked);
        }
    }
}
