package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speaker adaptation ({@code features.adapt}, issue 18) end to end: fixtures/functionals_adapt (made by
 * src/test/python/make_adapt_fixture.py from training/loco_functionals.online_zscore, training/functionals.py's vectors
 * and Python onnxruntime) gives, per speaker, a sequence of clips with the model input and probabilities numpy and
 * onnxruntime compute. Java computes the functionals itself (within an ulp of float32 of the reference's, see
 * FunctionalsCardTest), so the model input is compared at 1e-4 and the probabilities at 1e-5.
 */
class SpeakerAdaptationTest {
    private static final String MODEL = "functionals_adapt";
    private static OnnxEmotionRecognizer ser;
    private static JsonNode speakers;

    @BeforeAll
    static void load() throws IOException {
        ser = OnnxEmotionRecognizer.load(Fixtures.card(MODEL));
        speakers = Fixtures.JSON.readTree(Fixtures.root().resolve(MODEL).resolve("expected.json").toFile())
                .get("speakers");
    }

    @AfterAll
    static void close() {
        ser.close();
    }

    private static float[] clip(String name) {
        return Fixtures.readNpy(Fixtures.root().resolve("functionals_nc").resolve("clips").resolve(name + ".npy"));
    }

    private static String clipName(String speaker, int k) {
        return speakers.get(speaker).get("clips").get(k).textValue();
    }

    private static float[] expectedProbabilities(String speaker, int k) {
        return Fixtures.floats(speakers.get(speaker).get("probabilities").get(k));
    }

    /** Two speakers' clips interleaved, each with its own context, give numpy's per-speaker sequences. */
    @Test
    void interleavedSpeakersFollowTheReference() {
        assertTrue(ser.pipeline().adapts());
        SpeakerContext a = ser.newSpeakerContext();
        SpeakerContext b = ser.newSpeakerContext();
        assertTrue(a.adaptive());
        int na = speakers.get("A").get("clips").size();
        int nb = speakers.get("B").get("clips").size();
        List<float[]> gotA = new ArrayList<>();
        List<float[]> gotB = new ArrayList<>();
        for (int k = 0; k < Math.max(na, nb); k++) {
            if (k < na) {
                float[] p = ser.recognize(clip(clipName("A", k)), Fixtures.SR, a).probabilities();
                assertArrayEquals(expectedProbabilities("A", k), p, 1e-5f, "speaker A clip " + k);
                gotA.add(p);
            }
            if (k < nb) {
                float[] p = ser.recognize(clip(clipName("B", k)), Fixtures.SR, b).probabilities();
                assertArrayEquals(expectedProbabilities("B", k), p, 1e-5f, "speaker B clip " + k);
                gotB.add(p);
            }
        }
        assertEquals(na, a.clips());
        assertEquals(nb, b.clips());
        // the same speakers run separately give exactly the same numbers: contexts are independent
        SpeakerContext a2 = ser.newSpeakerContext();
        for (int k = 0; k < na; k++) {
            assertArrayEquals(gotA.get(k), ser.recognize(clip(clipName("A", k)), Fixtures.SR, a2).probabilities(),
                    0f);
        }
        a.reset();
        assertEquals(0, a.clips());
        assertArrayEquals(gotA.get(0), ser.recognize(clip(clipName("A", 0)), Fixtures.SR, a).probabilities(), 0f);
    }

    /** The pipeline's model input with a speaker's statistics is numpy's adapted, normalised vector. */
    @Test
    void modelInputIsTheReference() {
        ModelInputPipeline pipeline = ser.pipeline();
        SpeakerStatistics s = pipeline.newSpeakerStatistics();
        JsonNode a = speakers.get("A");
        for (int k = 0; k < a.get("clips").size(); k++) {
            float[] got = pipeline.apply(clip(clipName("A", k)), Fixtures.SR, s).data();
            assertArrayEquals(Fixtures.floats(a.get("model_input").get(k)), got, 1e-4f, "clip " + k);
        }
    }

    /** A batch of one speaker's clips with a context equals the reference, in batches of model runs. */
    @Test
    void batchWithContext() {
        JsonNode b = speakers.get("B");
        List<float[]> clips = new ArrayList<>();
        for (int k = 0; k < b.get("clips").size(); k++) {
            clips.add(clip(clipName("B", k)));
        }
        long runs = ser.modelRuns();
        List<EmotionPrediction> got = ser.recognizeAll(clips, Fixtures.SR, ser.newSpeakerContext());
        assertEquals(runs + 1, ser.modelRuns(), "one model run for the batch");
        for (int k = 0; k < clips.size(); k++) {
            assertArrayEquals(expectedProbabilities("B", k), got.get(k).probabilities(), 1e-5f, "clip " + k);
        }
    }

    /** Without a context, a clip is adapted by the prior and itself: a speaker's first clip, every time. */
    @Test
    void withoutContextEachClipIsAFirstClip() {
        assertEquals("syllables", clipName("A", 0));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(expectedProbabilities("A", 0), ser.recognize(clip("syllables"), Fixtures.SR)
                    .probabilities(), 1e-5f);
        }
        List<EmotionPrediction> batch = ser.recognizeAll(List.of(clip("syllables"), clip("syllables")), Fixtures.SR);
        assertArrayEquals(batch.get(0).probabilities(), batch.get(1).probabilities(), 0f);
    }

    private static float[] concatenated(String speaker) {
        JsonNode names = speakers.get(speaker).get("clips");
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (JsonNode n : names) {
            float[] c = clip(n.textValue());
            parts.add(c);
            total += c.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] c : parts) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    private static List<EmotionSegment> timeline(AudioSource source, StreamOptions options) {
        List<EmotionSegment> out = new ArrayList<>();
        ser.stream(source, options, out::add);
        return out;
    }

    /** Speaker B is three equal clips: a stream with one window per clip adapts as the reference does. */
    @Test
    void streamWindowsAdapt() {
        float[] audio = concatenated("B");
        double seconds = clip("syllables").length / (double) Fixtures.SR;
        StreamOptions on = StreamOptions.builder().windowSeconds(seconds).hopSeconds(seconds).vadEnabled(false)
                .build();
        List<EmotionSegment> segments = timeline(AudioSource.of(audio, Fixtures.SR), on);
        assertEquals(3, segments.size());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(expectedProbabilities("B", k), segments.get(k).prediction().probabilities(), 1e-5f,
                    "window " + k);
        }
        // the push session does the same
        List<EmotionSegment> pushed = Fixtures.pushed(ser, audio, on);
        assertEquals(3, pushed.size());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(segments.get(k).prediction().probabilities(), pushed.get(k).prediction().probabilities(),
                    0f);
        }
        // adaptation off: every window on its own, as a first clip
        StreamOptions off = StreamOptions.builder().windowSeconds(seconds).hopSeconds(seconds).vadEnabled(false)
                .adaptation(false).build();
        for (EmotionSegment seg : timeline(AudioSource.of(audio, Fixtures.SR), off)) {
            assertArrayEquals(expectedProbabilities("B", 0), seg.prediction().probabilities(), 1e-5f);
        }
    }

    /** A source within one window is one clip of the context (speaker B: the same clip three times). */
    @Test
    void sourceWithContext() {
        SpeakerContext b = ser.newSpeakerContext();
        for (int k = 0; k < 3; k++) {
            EmotionPrediction p = ser.recognize(AudioSource.of(clip(clipName("B", k)), Fixtures.SR), b);
            assertArrayEquals(expectedProbabilities("B", k), p.probabilities(), 1e-5f, "clip " + k);
        }
        assertEquals(3, b.clips());
        // without a context: a first clip each time
        assertArrayEquals(expectedProbabilities("B", 0),
                ser.recognize(AudioSource.of(clip("syllables"), Fixtures.SR)).probabilities(), 1e-5f);
    }

    @Test
    void contextOfAnotherRecognizerIsRejected() {
        try (OnnxEmotionRecognizer other = OnnxEmotionRecognizer.load(Fixtures.card(MODEL))) {
            SpeakerContext foreign = other.newSpeakerContext();
            String m = assertThrows(IllegalArgumentException.class,
                    () -> ser.recognize(clip("syllables"), Fixtures.SR, foreign)).getMessage();
            assertTrue(m.contains("not made by this recogniser"), m);
        }
        SpeakerContext stranger = new SpeakerContext() {
            @Override
            public long clips() {
                return 0;
            }

            @Override
            public boolean adaptive() {
                return false;
            }

            @Override
            public void reset() {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> ser.recognize(clip("syllables"), Fixtures.SR, stranger));
    }

    /** A card without adapt: contexts only count, and change nothing. */
    @Test
    void cardWithoutAdaptIgnoresContexts() {
        try (OnnxEmotionRecognizer plain = OnnxEmotionRecognizer.load(Fixtures.card("functionals_nc"))) {
            assertFalse(plain.pipeline().adapts());
            SpeakerContext c = plain.newSpeakerContext();
            assertFalse(c.adaptive());
            float[] p0 = plain.recognize(clip("syllables"), Fixtures.SR).probabilities();
            assertArrayEquals(p0, plain.recognize(clip("syllables"), Fixtures.SR, c).probabilities(), 0f);
            assertArrayEquals(p0, plain.recognize(clip("syllables"), Fixtures.SR, c).probabilities(), 0f);
            assertEquals(2, c.clips());
        }
    }

    private static String badCard(Path dir, Consumer<ObjectNode> adapt) {
        Path card = Fixtures.copy(MODEL, dir, c -> adapt.accept((ObjectNode) c.get("features").get("adapt")));
        return assertThrows(ModelException.class, () -> OnnxEmotionRecognizer.load(card).close()).getMessage();
    }

    private static void contains(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), "\"" + w + "\" missing from: " + message);
        }
    }

    @Test
    void badAdaptFieldsAreClearErrors(@TempDir Path dir) {
        contains(badCard(dir, a -> a.put("type", "zscore")), "features.adapt.type", "running", "zscore");
        contains(badCard(dir, a -> a.remove("type")), "features.adapt.type", "required");
        contains(badCard(dir, a -> a.remove("prior_count")), "features.adapt.prior_count", "required");
        contains(badCard(dir, a -> a.put("prior_count", -1)), "features.adapt.prior_count", "-1");
        contains(badCard(dir, a -> a.put("epsilon", 0)), "features.adapt.epsilon");
        contains(badCard(dir, a -> ((ArrayNode) a.get("prior_var")).remove(0)), "features.adapt.prior_var",
                "138", "139");
        contains(badCard(dir, a -> ((ArrayNode) a.get("prior_var")).set(5, -0.5)), "features.adapt.prior_var[5]",
                "-0.5", ">= 0");
        contains(badCard(dir, a -> a.put("priors", 1)), "features.adapt", "unknown field", "priors");
        contains(badCard(dir, a -> {
            ((ArrayNode) a.get("prior_mean")).remove(0);
            ((ArrayNode) a.get("prior_var")).remove(0);
        }), "features.adapt.prior_mean", "138", "139");
        contains(badCard(dir, a -> a.put("prior_mean", "x")), "features.adapt.prior_mean", "array");
    }

    /** Per-element statistics need a fixed matrix shape: a variable frame count is rejected when loading. */
    @Test
    void variableShapeIsRejected(@TempDir Path dir) {
        Path card = Fixtures.copy("keras_mlp_mfcc_mean", dir, c -> {
            ObjectNode f = (ObjectNode) c.get("features");
            f.remove("aggregate");
            f.remove("normalize");
            ((ObjectNode) c.get("audio")).remove("duration_seconds");
            ObjectNode a = f.putObject("adapt");
            a.put("type", "running").put("prior_count", 2);
            a.putArray("prior_mean").add(0.0);
            a.putArray("prior_var").add(1.0);
        });
        String m = assertThrows(ModelException.class, () -> ModelInputPipeline.of(ModelCard.read(card)))
                .getMessage();
        contains(m, "features.adapt", "fixed shape");
    }
}
