package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.OutputAdaptation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speaker adaptation of the output ({@code output.adapt}) end to end: the keras_cnn_logmel_nhwc fixture with the
 * {@code output.adapt} and {@code output.arousal_valence} of fixtures/output_adapt/cnn.json, written by
 * src/test/python/make_output_adapt_fixture.py: training/output_adapt.Running applied, per speaker, to Python
 * onnxruntime's probabilities of the fixture clips. The probabilities and arousal/valence must agree to 1e-5.
 */
class OutputAdaptationTest {
    private static final String CNN = "keras_cnn_logmel_nhwc";
    private static final float TOLERANCE = 1e-5f;
    @TempDir
    static Path dir;
    private static JsonNode golden;
    private static OnnxEmotionRecognizer ser;
    private static OnnxEmotionRecognizer plain;

    @BeforeAll
    static void load() throws IOException {
        golden = Fixtures.JSON.readTree(Fixtures.root().resolve("output_adapt").resolve("cnn.json").toFile());
        ser = OnnxEmotionRecognizer.load(copy("adapted", true));
        plain = OnnxEmotionRecognizer.load(copy("plain", false));
    }

    @AfterAll
    static void close() {
        ser.close();
        plain.close();
    }

    /** The CNN fixture with the golden label table, and its output.adapt if {@code adapt}. */
    private static Path copy(String sub, boolean adapt) {
        try {
            Path folder = Files.createDirectories(dir.resolve(sub));
            return Fixtures.copy(CNN, folder, c -> {
                ObjectNode out = (ObjectNode) c.get("output");
                out.set("arousal_valence", golden.get("arousal_valence").deepCopy());
                if (adapt) {
                    out.set("adapt", golden.get("adapt").deepCopy());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode speaker(String who) {
        return golden.get("speakers").get(who);
    }

    private static List<float[]> clips(String who) {
        List<float[]> out = new ArrayList<>();
        speaker(who).forEach(c -> out.add(Fixtures.clip(c.get("clip").textValue())));
        return out;
    }

    private static void check(JsonNode want, EmotionPrediction got, String what) {
        assertEquals(want.get("speech").booleanValue(), got.isSpeech(), what);
        if (!got.isSpeech()) {
            return;
        }
        assertArrayEquals(Fixtures.floats(want.get("adapted")), got.probabilities(), TOLERANCE, what);
        assertEquals(want.get("arousal").doubleValue(), got.arousal().getAsDouble(), TOLERANCE, what + " arousal");
        assertEquals(want.get("valence").doubleValue(), got.valence().getAsDouble(), TOLERANCE, what + " valence");
    }

    @Test
    void cardIsRead() {
        OutputAdaptation a = ser.card().output().adapt().orElseThrow();
        assertEquals(new OutputAdaptation(OutputAdaptation.Type.DEMOTE_EXCESS, 1.5, 0.8, 1e-5), a);
        assertTrue(plain.card().output().adapt().isEmpty());
        assertTrue(ser.newSpeakerContext().adaptive(), "output.adapt alone makes a context adaptive");
        assertFalse(plain.newSpeakerContext().adaptive());
    }

    /** Two speakers interleaved, each with its own context, follow the reference; a clip without speech is skipped. */
    @Test
    void interleavedSpeakersFollowTheReference() {
        SpeakerContext a = ser.newSpeakerContext();
        SpeakerContext b = ser.newSpeakerContext();
        List<float[]> ca = clips("A");
        List<float[]> cb = clips("B");
        List<EmotionPrediction> gotA = new ArrayList<>();
        for (int k = 0; k < Math.max(ca.size(), cb.size()); k++) {
            if (k < ca.size()) {
                EmotionPrediction p = ser.recognize(ca.get(k), Fixtures.SR, a);
                check(speaker("A").get(k), p, "speaker A clip " + k);
                gotA.add(p);
            }
            if (k < cb.size()) {
                check(speaker("B").get(k), ser.recognize(cb.get(k), Fixtures.SR, b), "speaker B clip " + k);
            }
        }
        assertEquals(ca.size() - 1, a.clips(), "the clip without speech is not counted");
        // reset: the speaker starts over
        a.reset();
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(gotA.get(k).probabilities(), ser.recognize(ca.get(k), Fixtures.SR, a).probabilities(),
                    0f, "after reset, clip " + k);
        }
    }

    /** A clip without speech leaves the sums as they are: the next clip is adapted as if it had not been there. */
    @Test
    void clipWithoutSpeechDoesNotUpdate() {
        SpeakerContext with = ser.newSpeakerContext();
        SpeakerContext without = ser.newSpeakerContext();
        ser.recognize(Fixtures.clip("tone_440"), Fixtures.SR, with);
        ser.recognize(Fixtures.clip("tone_440"), Fixtures.SR, without);
        for (int i = 0; i < 3; i++) {
            assertFalse(ser.recognize(Fixtures.clip("silence"), Fixtures.SR, with).isSpeech());
        }
        assertArrayEquals(ser.recognize(Fixtures.clip("noise"), Fixtures.SR, without).probabilities(),
                ser.recognize(Fixtures.clip("noise"), Fixtures.SR, with).probabilities(), 0f);
    }

    /** Without a context nothing changes: the probabilities and arousal/valence of the card without output.adapt. */
    @Test
    void withoutContextNothingChanges() {
        List<float[]> clips = clips("A");
        for (int k = 0; k < clips.size(); k++) {
            for (int round = 0; round < 2; round++) {
                EmotionPrediction want = plain.recognize(clips.get(k), Fixtures.SR);
                assertEquals(want, ser.recognize(clips.get(k), Fixtures.SR), "clip " + k);
                if (clips.get(k).length <= Fixtures.SR) { // one window: a clip (longer: windows, adapted)
                    assertEquals(want, ser.recognize(AudioSource.of(clips.get(k), Fixtures.SR)), "source " + k);
                }
            }
        }
        assertEquals(plain.recognizeAll(clips, Fixtures.SR), ser.recognizeAll(clips, Fixtures.SR));
        // and a plain card's context changes nothing either
        SpeakerContext c = plain.newSpeakerContext();
        for (float[] clip : clips) {
            assertEquals(plain.recognize(clip, Fixtures.SR), plain.recognize(clip, Fixtures.SR, c));
        }
    }

    /** A batch with a context is adapted in clip order (one model run for clips of one shape): the reference. */
    @Test
    void recognizeAllEqualsClipByClip() {
        for (String who : List.of("A", "B")) {
            List<float[]> clips = clips(who);
            long runs = ser.modelRuns();
            List<EmotionPrediction> all = ser.recognizeAll(clips, Fixtures.SR, ser.newSpeakerContext());
            assertEquals(runs + 1, ser.modelRuns(), "one batch");
            SpeakerContext one = ser.newSpeakerContext();
            for (int k = 0; k < clips.size(); k++) {
                check(speaker(who).get(k), all.get(k), "speaker " + who + " batch clip " + k);
                EmotionPrediction single = ser.recognize(clips.get(k), Fixtures.SR, one);
                assertEquals(single.isSpeech(), all.get(k).isSpeech());
                if (single.isSpeech()) {
                    // a batched run of the CNN may differ from a single one by a few 1e-6
                    assertArrayEquals(single.probabilities(), all.get(k).probabilities(), TOLERANCE,
                            who + " clip " + k);
                }
            }
        }
    }

    /**
     * A variable-length model (torch_conv1d_logits_ntc: logits and an arousal/valence regression output) on clips of
     * two lengths: two input shapes, so two batches, whose outputs must still be adapted in clip order (as clip by
     * clip); the regression's arousal/valence are kept as the model gave them.
     */
    @Test
    void recognizeAllAdaptsInClipOrderAcrossShapeGroups() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ntc"));
        Path card = Fixtures.copy("torch_conv1d_logits_ntc", folder,
                c -> ((ObjectNode) c.get("output")).set("adapt", golden.get("adapt").deepCopy()));
        Path plainCard = Fixtures.copy("torch_conv1d_logits_ntc", Files.createDirectories(dir.resolve("ntc-plain")),
                c -> { });
        try (OnnxEmotionRecognizer ntc = OnnxEmotionRecognizer.load(card);
             OnnxEmotionRecognizer ntcPlain = OnnxEmotionRecognizer.load(plainCard)) {
            List<float[]> clips = new ArrayList<>();
            for (String who : List.of("A", "B")) {
                for (float[] c : clips(who)) {
                    clips.add(clips.size() % 2 == 0 ? c : java.util.Arrays.copyOf(c, c.length / 2));
                }
            }
            long runs = ntc.modelRuns();
            List<EmotionPrediction> all = ntc.recognizeAll(clips, Fixtures.SR, ntc.newSpeakerContext());
            assertTrue(ntc.modelRuns() - runs >= 2, "clips of two lengths must run as two batches");
            SpeakerContext one = ntc.newSpeakerContext();
            boolean moved = false;
            for (int k = 0; k < clips.size(); k++) {
                EmotionPrediction single = ntc.recognize(clips.get(k), Fixtures.SR, one);
                EmotionPrediction raw = ntcPlain.recognize(clips.get(k), Fixtures.SR);
                assertEquals(single.isSpeech(), all.get(k).isSpeech());
                if (!single.isSpeech()) {
                    continue;
                }
                assertArrayEquals(single.probabilities(), all.get(k).probabilities(), TOLERANCE, "clip " + k);
                assertEquals(raw.arousal().getAsDouble(), all.get(k).arousal().getAsDouble(), 1e-6, "regression kept");
                assertEquals(raw.valence().getAsDouble(), all.get(k).valence().getAsDouble(), 1e-6, "regression kept");
                for (int c = 0; c < raw.probabilities().length; c++) {
                    moved |= Math.abs(raw.probabilities()[c] - all.get(k).probabilities()[c]) > 1e-3;
                }
            }
            assertTrue(moved, "output.adapt changed no probability");
        }
    }

    private static float[] concatenated(String who) {
        List<float[]> parts = clips(who);
        float[] out = new float[parts.stream().mapToInt(c -> c.length).sum()];
        int at = 0;
        for (float[] c : parts) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    private static List<EmotionSegment> timeline(OnnxEmotionRecognizer r, float[] audio, StreamOptions options) {
        List<EmotionSegment> out = new ArrayList<>();
        r.stream(AudioSource.of(audio, Fixtures.SR), options, out::add);
        return out;
    }

    /** Speaker C is three 1 s clips: streams and push sessions of 1 s windows adapt as the reference does. */
    @Test
    void streamWindowsAdapt() {
        float[] audio = concatenated("C");
        StreamOptions on = StreamOptions.builder().windowSeconds(1).hopSeconds(1).vadEnabled(false).build();
        List<EmotionSegment> segments = timeline(ser, audio, on);
        assertEquals(3, segments.size());
        for (int k = 0; k < 3; k++) {
            check(speaker("C").get(k), segments.get(k).prediction(), "window " + k);
        }
        List<EmotionSegment> pushed = Fixtures.pushed(ser, audio, on);
        assertEquals(3, pushed.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(segments.get(k).prediction(), pushed.get(k).prediction(), "pushed window " + k);
        }
        // adaptation off: the plain card's windows
        StreamOptions off = StreamOptions.builder().windowSeconds(1).hopSeconds(1).vadEnabled(false)
                .adaptation(false).build();
        List<EmotionSegment> unadapted = timeline(ser, audio, off);
        List<EmotionSegment> reference = timeline(plain, audio, off);
        assertEquals(3, unadapted.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(reference.get(k).prediction(), unadapted.get(k).prediction(), "unadapted window " + k);
        }
        // a long recording's windows share one context too
        assertNotEquals(plain.analyze(AudioSource.of(audio, Fixtures.SR)).prediction(),
                ser.analyze(AudioSource.of(audio, Fixtures.SR)).prediction());
    }

    /**
     * An ensemble of the adapted card (weight 1) and the plain one (weight 3): adapted calls fuse the adapted member's
     * reference probabilities and arousal/valence with the plain member's; calls without a context adapt nothing.
     */
    @Test
    void ensembleAdaptsOnlyItsAdaptingMember(@TempDir Path tmp) {
        EnsembleRecognizerTest.member(tmp, CNN, "a", c -> {
            ObjectNode out = (ObjectNode) c.get("output");
            out.set("arousal_valence", golden.get("arousal_valence").deepCopy());
            out.set("adapt", golden.get("adapt").deepCopy());
        });
        EnsembleRecognizerTest.member(tmp, CNN, "b", c -> ((ObjectNode) c.get("output"))
                .set("arousal_valence", golden.get("arousal_valence").deepCopy()));
        Path card = EnsembleRecognizerTest.ensemble(tmp, "card.json", "[{\"card\": \"a/card.json\", \"weight\": 1},"
                + " {\"card\": \"b/card.json\", \"weight\": 3}]");
        List<float[]> clips = clips("B");
        try (OnnxEmotionRecognizer e = OnnxEmotionRecognizer.load(card)) {
            SpeakerContext c = e.newSpeakerContext();
            assertTrue(c.adaptive());
            List<EmotionPrediction> batch = e.recognizeAll(clips, Fixtures.SR, e.newSpeakerContext());
            for (int k = 0; k < clips.size(); k++) {
                JsonNode want = speaker("B").get(k);
                float[] adapted = Fixtures.floats(want.get("adapted"));
                EmotionPrediction other = plain.recognize(clips.get(k), Fixtures.SR);
                float[] p = other.probabilities();
                float[] fused = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    fused[i] = (float) ((adapted[i] + 3.0 * p[i]) / 4);
                }
                EmotionPrediction got = e.recognize(clips.get(k), Fixtures.SR, c);
                assertArrayEquals(fused, got.probabilities(), TOLERANCE, "clip " + k);
                assertEquals((want.get("arousal").doubleValue() + 3 * other.arousal().getAsDouble()) / 4,
                        got.arousal().getAsDouble(), TOLERANCE, "clip " + k + " arousal");
                assertEquals((want.get("valence").doubleValue() + 3 * other.valence().getAsDouble()) / 4,
                        got.valence().getAsDouble(), TOLERANCE, "clip " + k + " valence");
                assertArrayEquals(got.probabilities(), batch.get(k).probabilities(), TOLERANCE, "batch clip " + k);
                EmotionPrediction single = e.recognize(clips.get(k), Fixtures.SR);
                assertArrayEquals(p, single.probabilities(), 1e-6f, "without a context, clip " + k);
            }
            c.reset();
            assertArrayEquals(e.recognize(clips.get(0), Fixtures.SR, e.newSpeakerContext()).probabilities(),
                    e.recognize(clips.get(0), Fixtures.SR, c).probabilities(), 0f, "after reset");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Card errors

    private static String badCard(Path tmp, Consumer<ObjectNode> adapt) {
        Path card = Fixtures.copy(CNN, tmp, c -> {
            ObjectNode a = ((ObjectNode) c.get("output")).putObject("adapt");
            a.put("type", "demote_excess");
            adapt.accept(a);
        });
        String m = assertThrows(ModelException.class, () -> ModelCard.read(card)).getMessage();
        assertTrue(m.contains(card.toString()), "the card file is named: " + m);
        return m;
    }

    private static void contains(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), "\"" + w + "\" missing from: " + message);
        }
    }

    @Test
    void defaultsAreTheReference(@TempDir Path tmp) {
        Path card = Fixtures.copy(CNN, tmp, c -> ((ObjectNode) c.get("output")).putObject("adapt")
                .put("type", "demote_excess"));
        assertEquals(new OutputAdaptation(OutputAdaptation.Type.DEMOTE_EXCESS, 3, 1, 1e-7),
                ModelCard.read(card).output().adapt().orElseThrow());
    }

    /** The JSON Schema shipped for other tools lists the fields the reader accepts. */
    @Test
    void jsonSchemaHasOutputAdapt() throws IOException {
        JsonNode schema;
        try (java.io.InputStream in = ModelCard.class.getResourceAsStream(ModelCard.SCHEMA_RESOURCE)) {
            schema = Fixtures.JSON.readTree(in);
        }
        JsonNode adapt = schema.get("properties").get("output").get("properties").get("adapt");
        List<String> fields = new ArrayList<>();
        adapt.get("properties").fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("type", "prior_count", "strength", "floor"), fields);
        assertEquals("demote_excess", adapt.get("properties").get("type").get("const").textValue());
        assertFalse(adapt.get("additionalProperties").booleanValue());
    }

    @Test
    void badAdaptFieldsAreClearErrors(@TempDir Path tmp) {
        contains(badCard(tmp, a -> a.remove("type")), "output.adapt.type", "required");
        contains(badCard(tmp, a -> a.put("type", "running")), "output.adapt.type", "demote_excess", "running");
        contains(badCard(tmp, a -> a.put("type", 1)), "output.adapt.type", "string");
        contains(badCard(tmp, a -> a.put("prior_count", -1)), "output.adapt.prior_count", "-1");
        contains(badCard(tmp, a -> a.put("prior_count", "3")), "output.adapt.prior_count", "number");
        contains(badCard(tmp, a -> a.put("strength", -0.5)), "output.adapt.strength", "-0.5");
        contains(badCard(tmp, a -> a.putNull("strength")), "output.adapt.strength", "number");
        contains(badCard(tmp, a -> a.put("floor", 0)), "output.adapt.floor", "0");
        contains(badCard(tmp, a -> a.put("floor", 1)), "output.adapt.floor", "(0, 1)");
        contains(badCard(tmp, a -> a.put("floor", 1.5)), "output.adapt.floor", "1.5");
        contains(badCard(tmp, a -> a.put("floor", -1e-7)), "output.adapt.floor", "-1");
        contains(badCard(tmp, a -> a.put("prior", 3)), "output.adapt", "unknown field", "prior");
        Path card = Fixtures.copy(CNN, tmp, c -> ((ObjectNode) c.get("output")).put("adapt", "demote_excess"));
        contains(assertThrows(ModelException.class, () -> ModelCard.read(card)).getMessage(), "output.adapt",
                "object");
    }
}
