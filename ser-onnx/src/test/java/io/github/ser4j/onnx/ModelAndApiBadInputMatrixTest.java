package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.BadInputMatrix;
import io.github.ser4j.api.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.github.ser4j.api.testing.BadInputMatrix.row;

/**
 * The model-card and API-argument rows of the bad-input matrix (docs/BAD_INPUT_MATRIX.md): each card is a fixture
 * card with one thing wrong, in a folder of its own; each call passes one bad argument. The exact exception type and
 * the words that name the problem are asserted.
 */
class ModelAndApiBadInputMatrixTest {
    private static Path root;
    private static OnnxEmotionRecognizer mfcc;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("ser4j-matrix");
        mfcc = OnnxEmotionRecognizer.load(Fixtures.card("torch_cnn_mfcc_nchw"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        mfcc.close();
        TestFiles.deleteTree(root);
    }

    private static int folders;

    /** A copy of a fixture (card + model) in a fresh folder, the card edited. */
    static Path card(String model, Consumer<ObjectNode> edit) {
        try {
            Path dir = Files.createDirectories(root.resolve("m" + folders++).resolve("cards"));
            return Fixtures.copy(model, dir, edit);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path rawCard(String content) {
        try {
            Path dir = Files.createDirectories(root.resolve("m" + folders++));
            return Files.writeString(dir.resolve("card.json"), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ObjectNode o(ObjectNode card, String field) {
        return (ObjectNode) card.get(field);
    }

    static ObjectNode params(ObjectNode card) {
        return (ObjectNode) card.get("features").get("stack").get(0).get("params");
    }

    static void load(Path card) {
        OnnxEmotionRecognizer.load(card).close();
    }

    static Stream<BadInputMatrix> cards() {
        String logmel = "keras_cnn_logmel_nhwc";
        String nchw = "torch_cnn_mfcc_nchw";
        List<BadInputMatrix> rows = new ArrayList<>();
        rows.add(row("M01", "card: `n_mels` 40 for a model whose input has 32 mel rows (shape mismatch)",
                ModelException.class, () -> load(card(logmel, c -> params(c).put("n_mels", 40))),
                "n_mels=40", "axis 1 is 32"));
        rows.add(row("M02", "card: `features.frames.count` 51, model time axis 50", ModelException.class,
                () -> load(card(nchw, c -> o(o(c, "features"), "frames").put("count", 51))),
                "features.frames.count=51", "axis 3 is 50"));
        rows.add(row("M03", "card: unknown feature `spectral_flux`", ModelException.class,
                () -> load(card(logmel, c -> ((ObjectNode) c.get("features").get("stack").get(0))
                        .put("name", "spectral_flux"))), "spectral_flux"));
        rows.add(row("M04", "card: unknown feature parameter `n_melz`", ModelException.class,
                () -> load(card(logmel, c -> params(c).put("n_melz", 32))), "n_melz"));
        rows.add(row("M05", "card: unknown top-level field `modle` (a typo)", ModelException.class,
                () -> load(card(logmel, c -> c.put("modle", "x"))), "modle"));
        rows.add(row("M06", "card: 3 labels for a 4-wide output", ModelException.class,
                () -> load(card(logmel, c -> ((ArrayNode) c.get("output").get("labels")).remove(3))),
                "output.labels", "width 4"));
        rows.add(row("M07", "card: `model.file` `../outside.onnx` escapes the card's folder", ModelException.class,
                () -> load(card(logmel, c -> o(c, "model").put("file", "../outside.onnx"))), "model.file",
                "../outside.onnx"));
        rows.add(row("M08", "card: absolute `model.file` `/etc/passwd`", ModelException.class,
                () -> load(card(logmel, c -> o(c, "model").put("file", "/etc/passwd"))), "model.file", "absolute"));
        rows.add(row("M09", "card: `model.sha256` of another file", ModelException.class,
                () -> load(card(logmel, c -> o(c, "model").put("sha256", "0".repeat(64)))),
                "model.sha256 is " + "0".repeat(64), "has SHA-256"));
        rows.add(row("M10", "card: `model.sha256` not 64 hex digits", ModelException.class,
                () -> load(card(logmel, c -> o(c, "model").put("sha256", "abc"))), "sha256"));
        rows.add(row("M11", "model: `.onnx` truncated to 700 bytes (no hash pinned)", ModelException.class,
                () -> load(truncatedModel(700)), "cannot load the ONNX model", "700 bytes"));
        rows.add(row("M12", "model: empty `.onnx` file", ModelException.class,
                () -> load(truncatedModel(0)), "empty"));
        rows.add(row("M13", "card: `model.file` that does not exist", ModelException.class,
                () -> load(card(logmel, c -> o(c, "model").put("file", "nope.onnx"))), "nope.onnx"));
        rows.add(row("M14", "card: `schema_version` 2", ModelException.class,
                () -> load(card(logmel, c -> c.put("schema_version", 2))), "schema_version", "2"));
        rows.add(row("M15", "card: `format` is not `ser4j-model-card`", ModelException.class,
                () -> load(card(logmel, c -> c.put("format", "onnx-card"))), "format", "onnx-card"));
        rows.add(row("M16", "card: not JSON (`{\"format\": `)", ModelException.class,
                () -> load(rawCard("{\"format\": ")), "not valid JSON"));
        rows.add(row("M17", "card: a 0-byte file", ModelException.class, () -> load(rawCard("")), "empty"));
        rows.add(row("M18", "card: the same label twice", ModelException.class,
                () -> load(card(logmel, c -> ((ArrayNode) c.get("output").get("labels")).set(1, "neutral"))),
                "neutral"));
        rows.add(row("M19", "card: the reserved label `no_speech`", ModelException.class,
                () -> load(card(logmel, c -> ((ArrayNode) c.get("output").get("labels")).set(1, "no_speech"))),
                "no_speech"));
        rows.add(row("M20", "card: `input.name` not an input of the model", ModelException.class,
                () -> load(card(logmel, c -> o(c, "input").put("name", "mel"))), "input.name", "mel"));
        rows.add(row("M21", "card: `input.dtype` float64 for a float32 model", ModelException.class,
                () -> load(card(logmel, c -> o(c, "input").put("dtype", "float64"))), "input.dtype"));
        rows.add(row("M22", "card: `streaming.hop_seconds` longer than the window", ModelException.class,
                () -> load(card(logmel, c -> o(c, "streaming").put("hop_seconds", 2.0))), "hop_seconds"));
        rows.add(row("M23", "card: `n_fft` 0", ModelException.class,
                () -> load(card(logmel, c -> params(c).put("n_fft", 0))), "n_fft"));
        rows.add(row("M24", "card: `audio.sample_rate` -16000", ModelException.class,
                () -> load(card(logmel, c -> o(c, "audio").put("sample_rate", -16000))), "audio.sample_rate"));
        rows.add(row("M25", "card: a JSON array instead of an object", ModelException.class,
                () -> load(rawCard("[1, 2, 3]")), "must be a JSON object"));
        rows.add(row("M26", "card: larger than 16 MB", ModelException.class,
                () -> load(rawCard("{\"description\": \"" + "x".repeat(17 << 20) + "\"}")), "cards are at most 16777216 bytes"));
        rows.add(row("M27", "card: missing file", ModelException.class,
                () -> EmotionRecognizer.create(root.resolve("missing/card.json")), "missing/card.json"));
        rows.add(row("M28", "card: stacked features with `n_fft` 512 and `frame_length` 511, `center` true "
                + "(fuzzer finding `crash-2c42c27f…`)", ModelException.class, () -> load(card(logmel, c -> {
                    ObjectNode rms = Fixtures.JSON.createObjectNode();
                    rms.put("name", "rms").putObject("params").put("frame_length", 511).put("hop_length", 256);
                    ((ArrayNode) c.get("features").get("stack")).add(rms);
                })), "features.stack[1]", "all even or all odd"));
        rows.add(row("M29", "card: `audio.denoise.hop_length` 300, which does not divide `n_fft` 1024",
                ModelException.class, () -> load(card(logmel, c -> o(c, "audio").putObject("denoise")
                        .put("hop_length", 300))), "audio.denoise.hop_length", "must divide n_fft (1024)"));
        return rows.stream();
    }

    static Path truncatedModel(int bytes) throws IOException {
        Path card = card("keras_cnn_logmel_nhwc", c -> o(c, "model").remove("sha256"));
        Path model = card.resolveSibling("model.onnx");
        Files.write(model, Arrays.copyOf(Files.readAllBytes(model), bytes));
        return card;
    }

    static Stream<BadInputMatrix> arguments() {
        float[] clip = Fixtures.clip("vowel");
        float[] nan = clip.clone();
        nan[123] = Float.NaN;
        float[] inf = clip.clone();
        inf[7] = Float.NEGATIVE_INFINITY;
        List<BadInputMatrix> rows = new ArrayList<>();
        rows.add(row("P01", "`recognize(null, 16000)`", NullPointerException.class,
                () -> mfcc.recognize((float[]) null, 16000), "samples"));
        rows.add(row("P02", "`recognize(new float[0], 16000)`", IllegalArgumentException.class,
                () -> mfcc.recognize(new float[0], 16000), "empty"));
        rows.add(row("P03", "a NaN sample at index 123", IllegalArgumentException.class,
                () -> mfcc.recognize(nan, 16000), "sample 123", "NaN"));
        rows.add(row("P04", "a -Infinity sample at index 7", IllegalArgumentException.class,
                () -> mfcc.recognize(inf, 16000), "sample 7"));
        rows.add(row("P05", "sample rate 0", IllegalArgumentException.class, () -> mfcc.recognize(clip, 0),
                "sampleRate must be 1..768000 Hz, got 0"));
        rows.add(row("P06", "sample rate -16000", IllegalArgumentException.class,
                () -> mfcc.recognize(clip, -16000), "-16000"));
        rows.add(row("P07", "a clip too short for delta width 9 (1000 samples)", IllegalArgumentException.class,
                () -> mfcc.recognize(Arrays.copyOf(clip, 1000), 16000), "1280 samples"));
        rows.add(row("P08", "`recognizeAll` with a NaN in clip 1", IllegalArgumentException.class,
                () -> mfcc.recognizeAll(List.of(clip, nan), 16000), "clip 1", "NaN"));
        rows.add(row("P09", "`recognizeAll(null, 16000)`", NullPointerException.class,
                () -> mfcc.recognizeAll(null, 16000), "clips"));
        rows.add(row("P10", "`StreamOptions.hopSeconds(-0.5)` (negative hop)", IllegalArgumentException.class,
                () -> StreamOptions.builder().hopSeconds(-0.5), "hopSeconds", "-0.5"));
        rows.add(row("P11", "`StreamOptions.windowSeconds(0)`", IllegalArgumentException.class,
                () -> StreamOptions.builder().windowSeconds(0), "windowSeconds"));
        rows.add(row("P12", "`StreamOptions.windowSeconds(NaN)`", IllegalArgumentException.class,
                () -> StreamOptions.builder().windowSeconds(Double.NaN), "windowSeconds", "NaN"));
        rows.add(row("P13", "hop 2 s over a 1 s window", IllegalArgumentException.class,
                () -> StreamOptions.builder().windowSeconds(1).hopSeconds(2).build(), "hopSeconds 2.0",
                "windowSeconds 1.0"));
        rows.add(row("P14", "`StreamOptions.smoothing(0)`", IllegalArgumentException.class,
                () -> StreamOptions.builder().smoothing(0), "smoothing"));
        rows.add(row("P15", "`RecognizerOptions.intraOpThreads(0)`", IllegalArgumentException.class,
                () -> RecognizerOptions.builder().intraOpThreads(0), "intraOpThreads", "1..256"));
        rows.add(row("P16", "`AudioSource.of(samples, 0)` (0 Hz)", IllegalArgumentException.class,
                () -> AudioSource.of(clip, 0), "sampleRate must be 1..768000 Hz, got 0"));
        rows.add(row("P17", "`stream(null, options)`", NullPointerException.class,
                () -> mfcc.stream(null, StreamOptions.defaults()), "source"));
        rows.add(row("P18", "`recognize` after `close()`", IllegalStateException.class, () -> {
            OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card("torch_cnn_mfcc_nchw"));
            ser.close();
            ser.recognize(clip, 16000);
        }, "closed"));
        rows.add(row("P19", "`loadResource` of a relative resource name", IllegalArgumentException.class,
                () -> OnnxEmotionRecognizer.loadResource("models/x/card.json", RecognizerOptions.defaults()),
                "absolute"));
        rows.add(row("P20", "probabilities declared for a logits model (outputs outside [0, 1])",
                InferenceException.class, () -> {
                    try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(card("torch_conv1d_logits_ntc",
                            c -> o(c, "output").put("kind", "probabilities")))) {
                        ser.recognize(Fixtures.clip("tone_440"), 16000);
                    }
                }, "is not a probability", "output.kind"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void modelCards(BadInputMatrix row) {
        row.check("ModelAndApiBadInputMatrixTest#modelCards");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arguments")
    void apiArguments(BadInputMatrix row) {
        row.check("ModelAndApiBadInputMatrixTest#apiArguments");
    }
}
