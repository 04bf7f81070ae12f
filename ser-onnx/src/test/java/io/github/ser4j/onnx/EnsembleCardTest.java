package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.onnx.card.EnsembleCard;
import io.github.ser4j.onnx.card.ModelCard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ensemble card format: what parses to what, and a clear error for every bad field. */
class EnsembleCardTest {
    private static final String HEAD = "{\"format\": \"ser4j-model-card\", \"schema_version\": 1, \"name\": \"e\", "
            + "\"version\": \"2.0.0\", ";

    private static EnsembleCard parse(String rest) {
        return EnsembleCard.parse((HEAD + rest + "}").getBytes(StandardCharsets.UTF_8), "test.json");
    }

    private static String members(String members) {
        return "\"ensemble\": {\"members\": [" + members + "]}";
    }

    @Test
    void parsesTheFieldsAndDefaults() {
        EnsembleCard c = parse(members("{\"card\": \"a.json\"}, {\"card\": \"sub/b.json\", \"sha256\": \""
                + "0".repeat(64) + "\", \"weight\": 0.25, \"use\": \"adapted\", \"arousal_valence\": false}")
                + ", \"description\": \"d\", \"provenance\": {\"license\": \"CC0\", \"x\": [1]}");
        assertEquals("e", c.name());
        assertEquals("2.0.0", c.version());
        assertEquals("d", c.description());
        assertEquals("CC0", c.license());
        assertEquals("{\"license\":\"CC0\",\"x\":[1]}", c.provenanceJson());
        assertEquals(Optional.empty(), c.streaming());
        assertEquals(List.of(
                new EnsembleCard.Member("a.json", Optional.empty(), 1.0, EnsembleCard.Use.ALWAYS, true),
                new EnsembleCard.Member("sub/b.json", Optional.of("0".repeat(64)), 0.25, EnsembleCard.Use.ADAPTED,
                        false)), c.members());
        EnsembleCard s = parse(members("{\"card\": \"a.json\"}") + ", \"streaming\": {\"window_seconds\": 4}");
        assertEquals(new ModelCard.Streaming(4, 2), s.streaming().orElseThrow());
        assertEquals("unknown", s.license());
        assertTrue(EnsembleCard.isEnsemble((HEAD + members("{\"card\": \"a.json\"}") + "}").getBytes()));
        assertFalse(EnsembleCard.isEnsemble("{\"format\": \"ser4j-model-card\", \"model\": {\"ensemble\": 1}}"
                .getBytes()));
        assertFalse(EnsembleCard.isEnsemble("not json".getBytes()));
        assertTrue(EnsembleCard.Use.SINGLE_CLIP.appliesTo(false));
        assertFalse(EnsembleCard.Use.SINGLE_CLIP.appliesTo(true));
        assertTrue(EnsembleCard.Use.ADAPTED.appliesTo(true));
        assertFalse(EnsembleCard.Use.ADAPTED.appliesTo(false));
    }

    /**
     * Rows: what, the card after its header, a part of the message. Backticks are quotes; {@code ONE} is an ensemble of
     * one valid member, {@code A+} the start of a member object with its card, {@code M0} the path of member 0.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no members field | `ensemble`: {} | ensemble.members is required",
        "members not an array | `ensemble`: {`members`: {}} | ensemble.members must be an array of 1 to 8",
        "no members | `ensemble`: {`members`: []} | ensemble.members must be an array of 1 to 8",
        "unknown ensemble field | `ensemble`: {`members`: [{`card`: `a`}], `x`: 1} | ensemble has unknown field [x]",
        "ensemble not an object | `ensemble`: [] | ensemble must be a JSON object",
        "member not an object | `ensemble`: {`members`: [1]} | M0 must be a JSON object",
        "card missing | `ensemble`: {`members`: [{}]} | M0.card is required",
        "card empty | `ensemble`: {`members`: [{`card`: ``}]} | M0.card must not be empty",
        "card not a string | `ensemble`: {`members`: [{`card`: 3}]} | M0.card must be a string",
        "sha256 not hex | A+ `sha256`: `ABC`}]} | M0.sha256 must be 64 lowercase hexadecimal digits",
        "weight zero | A+ `weight`: 0}]} | M0.weight must be in (0.0",
        "weight negative | A+ `weight`: -1}]} | M0.weight must be in (0.0",
        "weight not a number | A+ `weight`: `1`}]} | M0.weight must be a finite number",
        "weight huge | A+ `weight`: 1e300}]} | M0.weight must be in (0.0",
        "use unknown | A+ `use`: `never`}]} | M0.use must be one of always, single_clip, adapted",
        "arousal_valence not bool | A+ `arousal_valence`: 1}]} | M0.arousal_valence must be true or false",
        "unknown member field | A+ `wieght`: 1}]} | M0 has unknown field [wieght]",
        "no single-clip member | A+ `use`: `adapted`}]} | ensemble.members has no member for single clips",
        "no adapted member | A+ `use`: `single_clip`}]} | ensemble.members has no member for adapted calls",
        "model section | ONE, `model`: {} | model is not allowed in an ensemble card",
        "audio section | ONE, `audio`: {} | audio is not allowed in an ensemble card",
        "speech_gate section | ONE, `speech_gate`: {} | speech_gate is not allowed",
        "features section | ONE, `features`: {} | features is not allowed",
        "input section | ONE, `input`: {} | input is not allowed",
        "output section | ONE, `output`: {} | output is not allowed",
        "streaming without window | ONE, `streaming`: {`hop_seconds`: 1} | streaming.window_seconds is required",
        "hop over window | ONE, `streaming`: {`window_seconds`: 1, `hop_seconds`: 2} | hop_seconds is 2.0 but must not",
        "unknown top field | ONE, `extra`: 1 | (top level) has unknown field [extra]",
        "provenance not an object | ONE, `provenance`: 1 | provenance must be a JSON object",
    })
    void rejectsBadFields(String what, String row, String message) {
        String rest = row.replace("ONE", "`ensemble`: {`members`: [{`card`: `a`}]}")
                .replace("A+ ", "`ensemble`: {`members`: [{`card`: `a`, ").replace('`', '"');
        ModelException e = assertThrows(ModelException.class, () -> parse(rest));
        assertTrue(e.getMessage().startsWith("model card test.json: "), e.getMessage());
        String expected = message.replace("M0", "ensemble.members[0]");
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void rejectsNineMembersAndAHeaderWithoutName() {
        String nine = String.join(", ", java.util.Collections.nCopies(9, "{\"card\": \"a\"}"));
        assertTrue(assertThrows(ModelException.class, () -> parse(members(nine))).getMessage()
                .contains("1 to 8 members"));
        String eight = String.join(", ", java.util.Collections.nCopies(8, "{\"card\": \"a\"}"));
        assertEquals(8, parse(members(eight)).members().size());
        ModelException e = assertThrows(ModelException.class, () -> EnsembleCard.parse(
                ("{\"format\": \"ser4j-model-card\", \"schema_version\": 1, \"version\": \"1\", "
                        + "\"ensemble\": {\"members\": [{\"card\": \"a\"}]}}").getBytes(), "t.json"));
        assertTrue(e.getMessage().contains("name is required"), e.getMessage());
        ModelException v = assertThrows(ModelException.class, () -> EnsembleCard.parse(
                "{\"format\": \"ser4j-model-card\", \"schema_version\": 2}".getBytes(), "t.json"));
        assertTrue(v.getMessage().contains("supports version 1 only"), v.getMessage());
    }

    @Test
    void docExampleParses() throws IOException {
        String md = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/model-card.md")
                .normalize());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```json\\n(\\{[^`]*?\"ensemble\"[^`]*?)```")
                .matcher(md);
        assertTrue(m.find(), "docs/model-card.md has an ensemble example");
        EnsembleCard c = EnsembleCard.parse(m.group(1).getBytes(StandardCharsets.UTF_8), "docs example");
        assertEquals(List.of(EnsembleCard.Use.ALWAYS, EnsembleCard.Use.SINGLE_CLIP, EnsembleCard.Use.ADAPTED),
                c.members().stream().map(EnsembleCard.Member::use).toList());
        assertEquals(new ModelCard.Streaming(3.0, 1.0), c.streaming().orElseThrow());
    }

    @Test
    void singleModelReadersRejectEnsembleCardsClearly() throws IOException {
        byte[] ensemble = Files.readAllBytes(Fixtures.root().resolve("ensemble.card.json"));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.parse(ensemble, "x.json"));
        assertTrue(e.getMessage().contains("x.json is an ensemble card"), e.getMessage());
        byte[] single = Files.readAllBytes(Fixtures.card("functionals_nc"));
        ModelException f = assertThrows(ModelException.class, () -> EnsembleCard.parse(single, "y.json"));
        assertTrue(f.getMessage().contains("model is not allowed in an ensemble card"), f.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Errors only loading can find

    private static String load(Path card) {
        return load(card, RecognizerOptions.defaults());
    }

    private static String load(Path card, RecognizerOptions options) {
        ModelException e = assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card, options).close());
        return e.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leaves the folder | ../x/card.json | ensemble.members[0].card \"../x/card.json\" leaves the card's folder",
        "absolute           | /etc/card.json      | ensemble.members[0].card \"/etc/card.json\" is an absolute path",
        "backslash          | a\\card.json        | contains a backslash",
        "missing            | nothere/card.json   | ensemble.members[0].card \"nothere/card.json\" does not exist",
        "the folder itself  | .                   | names the folder itself",
    })
    void rejectsMemberPaths(String what, String path, String message, @TempDir Path dir) {
        Path card = EnsembleRecognizerTest.ensemble(dir, "card.json",
                "[{\"card\": \"" + path.replace("\\", "\\\\") + "\"}]");
        String m = load(card);
        assertTrue(m.contains(message), what + ": " + m);
        assertTrue(m.contains(card.toString()), m);
    }

    @Test
    void rejectsALinkLeavingTheFolder(@TempDir Path dir) throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path card = EnsembleRecognizerTest.member(outside, "functionals_nc", "m", c -> { });
        Path inside = Files.createDirectories(dir.resolve("inside"));
        try {
            Files.createSymbolicLink(inside.resolve("link.json"), card);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links here
        }
        String m = load(EnsembleRecognizerTest.ensemble(inside, "card.json", "[{\"card\": \"link.json\"}]"));
        assertTrue(m.contains("is a link to") && m.contains("outside the card's folder"), m);
    }

    @Test
    void checksMemberHashesUnlessTurnedOff(@TempDir Path dir) throws IOException {
        Path member = EnsembleRecognizerTest.member(dir, "functionals_nc", "m", c -> { });
        String actual = ModelFiles.sha256(Files.readAllBytes(member));
        String wrong = "ab".repeat(32);
        Path card = EnsembleRecognizerTest.ensemble(dir, "card.json",
                "[{\"card\": \"m/card.json\", \"sha256\": \"" + wrong + "\"}]");
        String m = load(card);
        assertTrue(m.contains("ensemble.members[0].sha256 is " + wrong) && m.contains("has SHA-256 " + actual)
                && m.contains(member.toString()), m);
        RecognizerOptions off = RecognizerOptions.builder().verifyModelHash(false).build();
        OnnxEmotionRecognizer.load(card, off).close();
        Path right = EnsembleRecognizerTest.ensemble(dir, "right.json",
                "[{\"card\": \"m/card.json\", \"sha256\": \"" + actual + "\"}]");
        OnnxEmotionRecognizer.load(right).close();
    }

    @Test
    void rejectsNestedEnsemblesAndBadMemberCards(@TempDir Path dir) throws IOException {
        EnsembleRecognizerTest.member(dir, "functionals_nc", "m", c -> { });
        EnsembleRecognizerTest.ensemble(dir, "inner.json", "[{\"card\": \"m/card.json\"}]");
        String m = load(EnsembleRecognizerTest.ensemble(dir, "outer.json", "[{\"card\": \"m/card.json\"}, "
                + "{\"card\": \"inner.json\"}]"));
        assertTrue(m.contains("ensemble.members[1].card \"inner.json\" is itself an ensemble card"), m);
        EnsembleRecognizerTest.member(dir, "functionals_nc", "bad", c -> c.put("schema_version", 7));
        String b = load(EnsembleRecognizerTest.ensemble(dir, "bad.json", "[{\"card\": \"bad/card.json\"}]"));
        assertTrue(b.contains(dir.resolve("bad").resolve("card.json") + ": schema_version is 7"), b);
    }

    @Test
    void membersMustAgreeOnLabelsAndSampleRate(@TempDir Path dir) {
        EnsembleRecognizerTest.member(dir, "functionals_nc", "a", c -> { });
        EnsembleRecognizerTest.member(dir, "torch_cnn_mfcc_nchw", "five", c -> { });
        EnsembleRecognizerTest.member(dir, "functionals_nc", "reordered", c -> ((com.fasterxml.jackson.databind.node
                .ObjectNode) c.get("output")).set("labels", Fixtures.JSON.valueToTree(
                List.of("happy", "neutral", "sad", "angry"))));
        EnsembleRecognizerTest.member(dir, "keras_mlp_mfcc_mean", "rate", c -> ((com.fasterxml.jackson.databind.node
                .ObjectNode) c.get("audio")).put("sample_rate", 8000));
        EnsembleRecognizerTest.member(dir, "torch_waveform_nct", "native", c -> { });
        String labels = load(EnsembleRecognizerTest.ensemble(dir, "l.json",
                "[{\"card\": \"a/card.json\"}, {\"card\": \"five/card.json\"}]"));
        assertTrue(labels.contains("ensemble.members[1] (" + dir.resolve("five").resolve("card.json") + ")")
                && labels.contains("ensemble.members[0] (" + dir.resolve("a").resolve("card.json") + ")")
                && labels.contains("[neutral, happy, sad, angry, fearful]")
                && labels.contains("has [neutral, happy, sad, angry]"), labels);
        String order = load(EnsembleRecognizerTest.ensemble(dir, "o.json",
                "[{\"card\": \"a/card.json\"}, {\"card\": \"reordered/card.json\"}]"));
        assertTrue(order.contains("same labels in the same order"), order);
        String rate = load(EnsembleRecognizerTest.ensemble(dir, "r.json",
                "[{\"card\": \"a/card.json\"}, {\"card\": \"rate/card.json\"}]"));
        assertTrue(rate.contains("ensemble.members[1]") && rate.contains("audio.sample_rate 8000")
                && rate.contains("ensemble.members[0]") && rate.contains("has 16000"), rate);
        String nativeRate = load(EnsembleRecognizerTest.ensemble(dir, "n.json", "[{\"card\": \"native/card.json\"}]"));
        assertTrue(nativeRate.contains("ensemble.members[0]") && nativeRate.contains("audio.sample_rate null"),
                nativeRate);
    }

    @Test
    void aBrokenMemberModelFailsTheLoad(@TempDir Path dir) throws IOException {
        EnsembleRecognizerTest.member(dir, "functionals_nc", "a", c -> { });
        EnsembleRecognizerTest.member(dir, "functionals_nc", "b", c -> ((com.fasterxml.jackson.databind.node
                .ObjectNode) c.get("model")).remove("sha256"));
        Files.write(dir.resolve("b").resolve("model.onnx"), new byte[] {1, 2, 3});
        Path card = EnsembleRecognizerTest.ensemble(dir, "card.json",
                "[{\"card\": \"a/card.json\"}, {\"card\": \"b/card.json\"}]");
        long open = ModelRunner.openSessions();
        ModelException e = assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card));
        assertEquals(open, ModelRunner.openSessions(), "member 0's session is closed again: " + e.getMessage());
        // and a loaded ensemble holds one session per member until closed
        Path good = EnsembleRecognizerTest.ensemble(dir, "good.json",
                "[{\"card\": \"a/card.json\"}, {\"card\": \"a/card.json\", \"use\": \"adapted\"}]");
        OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(good);
        assertEquals(open + 2, ModelRunner.openSessions());
        r.close();
        assertEquals(open, ModelRunner.openSessions());
    }
}
