package io.github.ser4j.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import io.github.ser4j.api.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the model-card parser ({@link ModelCard#parse}) and of the validation of a card against
 * its ONNX graph ({@link OnnxEmotionRecognizer#load(Path)}), then one recognition with whatever loaded.
 *
 * <p>Allowed outcomes: a {@link ModelException} naming the problem, or a card that loads; a loaded model may refuse
 * a clip with {@link IllegalArgumentException} (too short for its features, as documented) or fail with an
 * {@link InferenceException}. Anything else, a hang (per-input {@link Timeout}) or an {@link OutOfMemoryError} is a
 * finding. The card's folder holds the five fixture models (model.onnx and m1..m4.onnx) and a file outside it, so the
 * fuzzer can reach the path checks, the SHA-256 check and the graph checks.
 *
 * <p>Regression inputs (every {@code mvn verify}): {@code src/test/resources/io/github/ser4j/onnx/ModelCardFuzzTestInputs/
 * parseAndLoad/}, the seeds written by {@link #writeSeeds()} plus every crash found. Fuzzing: docs/FUZZING.md.
 */
class ModelCardFuzzTest {
    static final String[] MODELS = {"model.onnx", "m1.onnx", "m2.onnx", "m3.onnx", "m4.onnx"};
    static final String SEEDS = "src/test/resources/io/github/ser4j/onnx/ModelCardFuzzTestInputs/parseAndLoad";

    private static Path root;
    private static Path cardDir;
    private static final float[] CLIP = tone(16000 / 2);

    @BeforeAll
    static void folder() throws IOException {
        root = Files.createTempDirectory("ser4j-fuzz-card");
        cardDir = Files.createDirectories(root.resolve("cards"));
        for (int i = 0; i < MODELS.length; i++) {
            Files.copy(Fixtures.root().resolve(Fixtures.MODELS.get(i)).resolve("model.onnx"), cardDir.resolve(MODELS[i]),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(cardDir.resolve("model.onnx"), root.resolve("outside.onnx"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(cardDir.resolve("truncated.onnx"), java.util.Arrays.copyOf(Files.readAllBytes(
                cardDir.resolve("model.onnx")), 700));
    }

    @AfterAll
    static void removeFolder() throws IOException {
        TestFiles.deleteTree(root);
    }

    @FuzzTest
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void parseAndLoad(byte[] json) throws IOException {
        ModelCard card;
        try {
            card = ModelCard.parse(json, "fuzz.json");
        } catch (ModelException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("fuzz.json"),
                    () -> "the message names the card: " + e.getMessage());
            return;
        }
        try {
            ModelInputPipeline.of(card); // checks that need the feature shapes (e.g. global normalisation lengths)
        } catch (ModelException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("fuzz.json"),
                    () -> "the message names the card: " + e.getMessage());
            return;
        }
        Path file = cardDir.resolve("card.json");
        Files.write(file, json);
        OnnxEmotionRecognizer ser;
        try {
            ser = OnnxEmotionRecognizer.load(file);
        } catch (ModelException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        try (ser) {
            EmotionPrediction p = ser.recognize(CLIP, 16000);
            assertEquals(card.output().labels(), p.labels());
            double sum = 0;
            for (float v : p.probabilities()) {
                assertTrue(v >= 0 && v <= 1, "probability " + v);
                sum += v;
            }
            assertTrue(!p.isSpeech() || Math.abs(sum - 1) < 1e-3, "probabilities sum to " + sum);
        } catch (IllegalArgumentException | InferenceException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    /** {@code mvn -B -pl ser-onnx -am test -Dtest=ModelCardFuzzTest#writeSeeds -Dser4j.fuzz.writeSeeds=true} */
    @Test
    @EnabledIfSystemProperty(named = "ser4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path out = Files.createDirectories(Path.of(SEEDS));
        for (int i = 0; i < MODELS.length; i++) {
            ObjectNode card = (ObjectNode) Fixtures.JSON.readTree(Fixtures.card(Fixtures.MODELS.get(i)).toFile());
            ((ObjectNode) card.get("model")).put("file", MODELS[i]);
            card.remove("provenance");
            Files.writeString(out.resolve("seed-" + Fixtures.MODELS.get(i)), Fixtures.JSON.writeValueAsString(card),
                    StandardCharsets.UTF_8);
        }
    }

    private static float[] tone(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return x;
    }
}
