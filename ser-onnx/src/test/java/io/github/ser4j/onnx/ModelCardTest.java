package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.FeatureKind;
import io.github.ser4j.onnx.card.ModelCard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and checking of cards without a model: every error names the field and the value. */
class ModelCardTest {

    private static ObjectNode base() {
        try {
            return (ObjectNode) Fixtures.JSON.readTree(Fixtures.card("torch_cnn_mfcc_nchw").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ModelCard parse(JsonNode card) {
        return ModelCard.parse(card.toString().getBytes(StandardCharsets.UTF_8), "test-card.json");
    }

    private static String failure(Consumer<ObjectNode> edit) {
        ObjectNode card = base();
        edit.accept(card);
        return assertThrows(ModelException.class, () -> parse(card)).getMessage();
    }

    private static ObjectNode at(ObjectNode card, String path) {
        ObjectNode n = card;
        for (String p : path.split("\\.")) {
            n = p.matches("\\d+") ? (ObjectNode) ((ArrayNode) (JsonNode) n).get(Integer.parseInt(p)) : (ObjectNode) n.get(p);
        }
        return n;
    }

    private static ObjectNode feature0(ObjectNode card) {
        return (ObjectNode) card.get("features").get("stack").get(0);
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void fixtureCardParsesWithDefaultsResolved() {
        ModelCard card = parse(base());
        assertEquals("torch_cnn_mfcc_nchw", card.name());
        ModelCard.Feature mfcc = card.features().stack().get(0);
        assertEquals(FeatureKind.MFCC, mfcc.kind());
        assertEquals(20, mfcc.intParam("n_mfcc"));
        assertEquals(60, mfcc.rows());
        assertEquals(160, mfcc.hopLength());
        assertEquals(50, card.features().frames().orElseThrow().count());
        assertEquals(ModelCard.Layout.NCHW, card.input().layout());
        assertEquals(5, card.output().labels().size());
        assertEquals(1.0, card.streaming().windowSeconds());
        assertEquals("Apache-2.0", card.license());
        assertTrue(card.speechGate().enabled());
        assertEquals(-50.0, card.speechGate().minRmsDbfs());
    }

    @Test
    void librosaDefaultsApplyWhenParamsAreOmitted() {
        ObjectNode card = base();
        feature0(card).putObject("params");
        feature0(card).remove("deltas");
        ModelCard.Feature f = parse(card).features().stack().get(0);
        assertEquals(2048, f.intParam("n_fft"));
        assertEquals(512, f.hopLength()); // librosa.feature.mfcc: hop_length=512
        assertEquals(2048, f.winLength());
        assertEquals(128, f.intParam("n_mels"));
        assertEquals(80.0, f.doubleParam("top_db"));
        assertEquals("ortho", f.params().get("norm"));
        assertEquals("slaney", f.params().get("mel_norm"));

        feature0(card).put("name", "stft");
        feature0(card).putObject("params").put("win_length", 400).put("n_fft", 512);
        ModelCard.Feature stft = parse(card).features().stack().get(0);
        assertEquals(100, stft.hopLength()); // librosa.stft: win_length // 4
        assertEquals(257, stft.rows());
    }

    @Test
    void docExampleCardParses() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).resolve("../docs/model-card.md").normalize();
        String md = Files.readString(doc);
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(md);
        assertTrue(m.find(), "docs/model-card.md has a full example");
        ModelCard card = ModelCard.parse(m.group(1).getBytes(StandardCharsets.UTF_8), "docs example");
        assertEquals(120, card.features().rows());
        assertEquals(8, card.output().labels().size());
    }

    @Test
    void structuralErrorsNameTheField() {
        assertMentions(failure(c -> c.put("colour", "red")), "unknown field", "colour");
        assertMentions(failure(c -> at(c, "audio").put("sampel_rate", 16000)), "audio", "sampel_rate");
        assertMentions(failure(c -> c.put("schema_version", 2)), "schema_version", "2", "version 1");
        assertMentions(failure(c -> c.remove("format")), "format", "ser4j-model-card");
        assertMentions(failure(c -> c.put("format", "other")), "format", "other");
        assertMentions(failure(c -> c.remove("input")), "input", "required");
        assertMentions(failure(c -> at(c, "audio").put("sample_rate", "16k")), "audio.sample_rate", "integer");
        assertMentions(failure(c -> at(c, "audio").put("sample_rate", 16000.5)), "audio.sample_rate");
        assertMentions(failure(c -> at(c, "audio").put("pad", "both")), "audio.pad", "both", "start, end, center");
        assertMentions(failure(c -> at(c, "audio").put("target_rms_dbfs", -20)), "audio.target_rms_dbfs", "rms");
        assertMentions(failure(c -> at(c, "input").put("layout", "NWC")), "input.layout", "NWC", "NCHW");
        assertMentions(failure(c -> at(c, "input").put("dtype", "int8")), "input.dtype", "int8");
        assertMentions(failure(c -> at(c, "output").put("kind", "scores")), "output.kind", "scores");
        assertMentions(failure(c -> at(c, "streaming").put("hop_seconds", 2.0)), "streaming.hop_seconds", "2.0");
        assertMentions(failure(c -> at(c, "model").put("sha256", "ABC")), "model.sha256", "hexadecimal");
    }

    @Test
    void featureErrorsNameTheFeatureAndParameter() {
        assertMentions(failure(c -> feature0(c).put("name", "mfccs")), "features.stack[0].name", "mfccs",
                "supported", "melspectrogram", "zero_crossing_rate");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("n_mfc", 13)),
                "features.stack[0].params.n_mfc", "not a parameter of mfcc", "n_mfcc");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("n_fft", "512")),
                "features.stack[0].params.n_fft", "integer");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("window", "kaiser")),
                "params.window", "hann, hamming, boxcar");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("dct_type", 3)),
                "params.dct_type", "type-II");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("win_length", 1024)),
                "win_length", "1024", "n_fft 400");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("params")).put("n_mfcc", 64)),
                "n_mfcc", "64", "n_mels 40");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("deltas")).put("width", 4)), "deltas.width", "odd");
        assertMentions(failure(c -> ((ObjectNode) feature0(c).get("deltas")).putArray("orders").add(3)),
                "deltas.orders[0]", "3");
        assertMentions(failure(c -> ((ArrayNode) c.get("features").get("stack")).addObject().put("name", "rms")
                .putObject("params").put("hop_length", 512)), "features.stack[1].params.hop_length", "512", "160");
        assertMentions(failure(c -> ((ArrayNode) c.get("features").get("stack")).addObject().put("name", "waveform")),
                "features.stack[1].name", "waveform", "only feature");
        assertMentions(failure(c -> ((ObjectNode) c.get("features")).putObject("aggregate").put("axis", "time")),
                "features.aggregate.stats", "required");
    }

    @Test
    void normalisationAndOutputErrors() {
        assertMentions(failure(c -> {
            ObjectNode n = ((ObjectNode) c.get("features")).putObject("normalize").put("type", "global");
            n.putArray("mean").add(1).add(2);
            n.putArray("scale").add(1);
        }), "features.normalize.scale", "1 values", "mean has 2");
        assertMentions(failure(c -> {
            ObjectNode n = ((ObjectNode) c.get("features")).putObject("normalize").put("type", "global");
            n.putArray("mean").add(1);
            n.putArray("scale").add(0);
        }), "features.normalize.scale[0]", "positive");
        assertMentions(failure(c -> ((ArrayNode) c.get("output").get("labels")).add("happy")), "output.labels",
                "happy", "twice");
        assertMentions(failure(c -> ((ArrayNode) c.get("output").get("labels")).set(0, "no_speech")),
                "output.labels", "reserved");
        assertMentions(failure(c -> ((ObjectNode) c.get("output").get("arousal_valence")).remove("sad")),
                "output.arousal_valence", "[sad]");
        assertMentions(failure(c -> ((ObjectNode) c.get("output").get("arousal_valence")).putArray("bored").add(0)
                .add(0)), "output.arousal_valence.bored", "not in output.labels");
        assertMentions(failure(c -> ((ObjectNode) c.get("output")).putObject("regression").put("name", "probabilities")
                .put("arousal_index", 0).put("valence_index", 1)), "output.regression.name", "must differ");
    }

    @Test
    void malformedJsonIsAModelException() {
        String dup = "{\"format\": \"ser4j-model-card\", \"format\": \"ser4j-model-card\"}";
        assertMentions(assertThrows(ModelException.class, () -> ModelCard.parse(dup.getBytes(StandardCharsets.UTF_8),
                "dup.json")).getMessage(), "dup.json", "not valid JSON", "format");
        assertMentions(assertThrows(ModelException.class, () -> ModelCard.parse("{\"a\": 1} x".getBytes(
                StandardCharsets.UTF_8), "trail.json")).getMessage(), "trail.json", "not valid JSON");
        assertMentions(assertThrows(ModelException.class, () -> ModelCard.parse(new byte[0], "empty.json"))
                .getMessage(), "empty.json");
        assertMentions(assertThrows(ModelException.class, () -> ModelCard.parse("[1, 2]".getBytes(
                StandardCharsets.UTF_8), "array.json")).getMessage(), "array.json", "JSON object");
        assertFalse(ModelCard.looksLikeCard("{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ModelCard.looksLikeCard(base().toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The JSON Schema shipped for other tools must list exactly the features and parameters the reader accepts. */
    @Test
    void jsonSchemaAgreesWithTheReader() throws IOException {
        JsonNode schema;
        try (InputStream in = ModelCard.class.getResourceAsStream(ModelCard.SCHEMA_RESOURCE)) {
            schema = Fixtures.JSON.readTree(in);
        }
        JsonNode feature = schema.get("$defs").get("feature");
        Set<String> names = new TreeSet<>();
        feature.get("properties").get("name").get("enum").forEach(n -> names.add(n.asText()));
        Set<String> javaNames = new TreeSet<>();
        for (FeatureKind k : FeatureKind.values()) {
            javaNames.add(k.librosaName());
        }
        assertEquals(javaNames, names);
        for (JsonNode rule : feature.get("allOf")) {
            JsonNode cond = rule.get("if").get("properties").get("name");
            Set<String> applies = new TreeSet<>();
            if (cond.has("const")) {
                applies.add(cond.get("const").asText());
            } else {
                cond.get("enum").forEach(n -> applies.add(n.asText()));
            }
            JsonNode params = rule.get("then").get("properties").get("params");
            Set<String> schemaParams = new TreeSet<>();
            if (params.has("properties")) {
                for (Iterator<String> it = params.get("properties").fieldNames(); it.hasNext(); ) {
                    schemaParams.add(it.next());
                }
            }
            for (String n : applies) {
                assertEquals(new TreeSet<>(FeatureKind.fromName(n).parameterNames()), schemaParams,
                        "schema parameters of " + n);
            }
        }
        assertEquals(ModelCard.SCHEMA_VERSION, schema.get("properties").get("schema_version").get("const").asInt());
        assertEquals(ModelCard.FORMAT, schema.get("properties").get("format").get("const").asText());
    }
}
