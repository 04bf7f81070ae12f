package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A card that disagrees with its model, or a model file that is unsafe or damaged: a ModelException saying so. */
class ModelValidationTest {
    @TempDir
    Path dir;

    private String loadFailure(String model, Consumer<ObjectNode> edit) {
        Path card = Fixtures.copy(model, dir, edit);
        return assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card).close()).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void frameCountThatDisagreesWithTheModel() {
        assertMentions(loadFailure("torch_cnn_mfcc_nchw", c -> ((ObjectNode) c.get("features").get("frames"))
                .put("count", 51)), "features.frames.count=51", "gives 51", "model input 'mfcc' axis 3 is 50");
    }

    @Test
    void featureRowsThatDisagreeWithTheModel() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("features").get("stack").get(0)
                .get("params")).put("n_mels", 40)), "n_mels=40", "gives 40", "axis 1 is 32");
    }

    @Test
    void fixedLengthThatDisagreesWithTheModel() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("audio"))
                .put("duration_seconds", 1.5)), "audio.duration_seconds=1.5", "24000 samples", "gives 94",
                "axis 2 is 63");
    }

    @Test
    void variableFramesForAModelWithAFixedTimeAxis() {
        assertMentions(loadFailure("torch_cnn_mfcc_nchw", c -> ((ObjectNode) c.get("features")).remove("frames")),
                "axis 3", "fixed at 50", "variable frame count", "features.frames.count to 50");
    }

    @Test
    void layoutWithTheWrongRank() {
        assertMentions(loadFailure("torch_cnn_mfcc_nchw", c -> ((ObjectNode) c.get("input")).put("layout", "NCT")),
                "input.layout NCT", "rank 3", "has rank 4");
    }

    @Test
    void labelCountThatDiffersFromTheOutputWidth() {
        assertMentions(loadFailure("torch_cnn_mfcc_nchw", c -> {
            ((ArrayNode) c.get("output").get("labels")).remove(4);
            ((ObjectNode) c.get("output")).remove("arousal_valence");
        }), "output.labels has 4 labels", "model output 'probabilities' has width 5");
    }

    @Test
    void unknownInputAndOutputNames() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("input")).put("name", "mel")),
                "input.name \"mel\"", "its inputs are [logmel]");
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("output")).put("name", "probs")),
                "output.name \"probs\"", "its outputs are [probabilities]");
        assertMentions(loadFailure("torch_conv1d_logits_ntc", c -> ((ObjectNode) c.get("output").get("regression"))
                .put("valence_index", 2)), "output.regression", "need 3 values", "width 2");
    }

    @Test
    void dtypeThatDisagreesWithTheModel() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("input")).put("dtype", "float64")),
                "input.dtype is float64", "element type FLOAT");
    }

    @Test
    void globalNormalisationOfTheWrongLength() {
        assertMentions(loadFailure("keras_mlp_mfcc_mean", c -> {
            ObjectNode n = (ObjectNode) c.get("features").get("normalize");
            ((ArrayNode) n.get("mean")).remove(0);
            ((ArrayNode) n.get("scale")).remove(0);
        }), "features.normalize.mean has 59 values", "60 x 1", "give 1, 60");
    }

    @Test
    void modelPathsThatEscapeTheCardFolder() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "../../etc/passwd")), "model.file \"../../etc/passwd\"", "leaves the card's folder");
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "sub/../../model.onnx")), "leaves the card's folder");
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "/etc/passwd")), "\"/etc/passwd\"", "absolute path");
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "C:/models/x.onnx")), "absolute path");
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "..\\model.onnx")), "backslash");
    }

    @Test
    void relativePathsThatStayInsideLoad() {
        Path card = Fixtures.copy("keras_cnn_logmel_nhwc", dir, c -> ((ObjectNode) c.get("model"))
                .put("file", "./sub/../model.onnx"));
        OnnxEmotionRecognizer.load(card).close();
    }

    @Test
    void symbolicLinkLeadingOutOfTheFolderIsRejected(@TempDir Path outside) throws IOException {
        Files.copy(Fixtures.root().resolve("keras_cnn_logmel_nhwc/model.onnx"), outside.resolve("real.onnx"));
        Path card = Fixtures.copy("keras_cnn_logmel_nhwc", dir, c -> ((ObjectNode) c.get("model"))
                .put("file", "link.onnx"));
        Files.createSymbolicLink(dir.resolve("link.onnx"), outside.resolve("real.onnx"));
        assertMentions(assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card)).getMessage(),
                "is a link to", "outside the card's folder");
    }

    @Test
    void missingModelFile() {
        assertMentions(loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model"))
                .put("file", "missing.onnx")), "\"missing.onnx\"", "does not exist");
    }

    @Test
    void sha256MismatchNamesBothHashes() {
        String wrong = "0".repeat(64);
        String message = loadFailure("keras_cnn_logmel_nhwc", c -> ((ObjectNode) c.get("model")).put("sha256", wrong));
        assertMentions(message, "model.sha256 is " + wrong, "has SHA-256 ");
        // opting out of the check loads it
        Path card = dir.resolve("card.json");
        OnnxEmotionRecognizer.load(card, RecognizerOptions.builder().verifyModelHash(false).build()).close();
    }

    @Test
    void truncatedModelIsAModelExceptionNotACrash() throws IOException {
        Path card = Fixtures.copy("torch_cnn_mfcc_nchw", dir, c -> ((ObjectNode) c.get("model")).remove("sha256"));
        byte[] full = Files.readAllBytes(dir.resolve("model.onnx"));
        for (int keep : new int[] {full.length / 2, 17, 1}) {
            Files.write(dir.resolve("model.onnx"), Arrays.copyOf(full, keep));
            assertMentions(assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card)).getMessage(),
                    "cannot load the ONNX model", keep + " bytes", "truncated");
        }
        Files.write(dir.resolve("model.onnx"), new byte[0]);
        assertMentions(assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card)).getMessage(),
                "is empty");
        // with the hash pinned, truncation is caught before ONNX Runtime sees the file
        Path pinned = Fixtures.copy("keras_cnn_logmel_nhwc", Files.createDirectory(dir.resolve("pinned")), c -> { });
        byte[] model = Files.readAllBytes(pinned.resolveSibling("model.onnx"));
        Files.write(pinned.resolveSibling("model.onnx"), Arrays.copyOf(model, model.length - 100));
        assertMentions(assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(pinned)).getMessage(),
                "model.sha256", "truncated");
    }

    @Test
    void probabilitiesDeclaredForALogitsModelFailAtRunTime() {
        // the raw logits of tone_440 are far outside [0, 1] (see expected.json "raw")
        float[] raw = Fixtures.floats(Fixtures.expected("torch_conv1d_logits_ntc").get("tone_440").get("raw"));
        boolean outside = false;
        for (float v : raw) {
            outside |= v < 0 || v > 1;
        }
        assertTrue(outside, "fixture precondition");
        Path card = Fixtures.copy("torch_conv1d_logits_ntc", dir, c -> ((ObjectNode) c.get("output"))
                .put("kind", "probabilities"));
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(card)) {
            assertMentions(assertThrows(InferenceException.class, () -> ser.recognize(Fixtures.clip("tone_440"),
                    Fixtures.SR)).getMessage(), "not a probability", "output.kind", "logits");
        }
    }
}
