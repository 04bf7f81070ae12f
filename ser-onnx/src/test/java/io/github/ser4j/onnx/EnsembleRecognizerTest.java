package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.spi.PackagedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * Ensemble cards end to end. The truth is each member's own recogniser (loaded from the member card alone): an
 * ensemble's probabilities must be the weighted mean the test computes from those, over the members that apply in the
 * call's mode and found speech; ensembles with one member per mode must give that member's results exactly.
 */
class EnsembleRecognizerTest {
    static final String CNN = "keras_cnn_logmel_nhwc";
    static final String FUNC = "functionals_nc";
    static final String ADAPT = "functionals_adapt";
    private static OnnxEmotionRecognizer ens;
    private static OnnxEmotionRecognizer cnn;
    private static OnnxEmotionRecognizer func;
    private static OnnxEmotionRecognizer adapt;

    @BeforeAll
    static void load() {
        ens = OnnxEmotionRecognizer.load(Fixtures.root().resolve("ensemble.card.json"));
        cnn = OnnxEmotionRecognizer.load(Fixtures.card(CNN));
        func = OnnxEmotionRecognizer.load(Fixtures.card(FUNC));
        adapt = OnnxEmotionRecognizer.load(Fixtures.card(ADAPT));
    }

    @AfterAll
    static void close() {
        for (OnnxEmotionRecognizer r : List.of(ens, cnn, func, adapt)) {
            r.close();
        }
    }

    /** Every clip the fixtures have at 16 kHz: the common ones and the functionals fixture's. */
    static List<float[]> clips() {
        List<float[]> out = new ArrayList<>();
        for (String name : Fixtures.CLIPS) {
            out.add(Fixtures.clip(name));
        }
        for (String name : List.of("syllables", "vowel_padded")) {
            out.add(Fixtures.readNpy(Fixtures.root().resolve(FUNC).resolve("clips").resolve(name + ".npy")));
        }
        return out;
    }

    /** The weighted mean of the members' predictions that have speech, or null when none has. */
    static double[] expected(EmotionPrediction[] parts, double[] weights) {
        double[] sum = new double[4];
        double w = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isSpeech()) {
                for (int k = 0; k < 4; k++) {
                    sum[k] += weights[i] * parts[i].probabilities()[k];
                }
                w += weights[i];
            }
        }
        if (w == 0) {
            return null;
        }
        for (int k = 0; k < 4; k++) {
            sum[k] /= w;
        }
        return sum;
    }

    static void assertFused(double[] expected, EmotionPrediction got, String what) {
        if (expected == null) {
            assertFalse(got.isSpeech(), what + ": no member found speech");
            return;
        }
        assertTrue(got.isSpeech(), what);
        for (int k = 0; k < 4; k++) {
            assertEquals(expected[k], got.probabilities()[k], 1e-6, what + " label " + k);
        }
    }

    @Test
    void singleClipsFuseTheAlwaysAndSingleClipMembers() {
        int speech = 0;
        int cnnOnly = 0;
        List<float[]> clips = clips();
        for (int i = 0; i < clips.size(); i++) {
            float[] clip = clips.get(i);
            EmotionPrediction pc = cnn.recognize(clip, Fixtures.SR);
            EmotionPrediction pf = func.recognize(clip, Fixtures.SR);
            long runs = ens.modelRuns();
            EmotionPrediction got = ens.recognize(clip, Fixtures.SR);
            // the adapted member does not run: one run per member whose gate passes
            assertEquals((pc.isSpeech() ? 1 : 0) + (pf.isSpeech() ? 1 : 0), ens.modelRuns() - runs, "clip " + i);
            assertFused(expected(new EmotionPrediction[] {pc, pf}, new double[] {0.5, 1.5}), got, "clip " + i);
            assertTrue(got.arousal().isEmpty());
            speech += got.isSpeech() ? 1 : 0;
            cnnOnly += pc.isSpeech() && pf.isSpeech() ? 0 : 1;
        }
        assertTrue(speech >= 6, "most clips have speech: " + speech);
        assertTrue(cnnOnly >= 1, "silence passes no gate");
        // recognizeAll batches per member and gives the same
        List<EmotionPrediction> all = ens.recognizeAll(clips, Fixtures.SR);
        for (int i = 0; i < clips.size(); i++) {
            assertClose(ens.recognize(clips.get(i), Fixtures.SR), all.get(i), "clip " + i);
        }
    }

    /** Batched and single runs agree to float rounding. */
    private static void assertClose(EmotionPrediction expected, EmotionPrediction got, String what) {
        assertEquals(expected.isSpeech(), got.isSpeech(), what);
        assertArrayEquals(expected.probabilities(), got.probabilities(), 1e-5f, what);
    }

    @Test
    void adaptedCallsFuseTheAlwaysAndAdaptedMembers() {
        SpeakerContext ctx = ens.newSpeakerContext();
        assertTrue(ctx.adaptive());
        SpeakerContext memberCtx = adapt.newSpeakerContext();
        List<float[]> clips = clips();
        long speech = 0;
        for (int i = 0; i < clips.size(); i++) {
            float[] clip = clips.get(i);
            EmotionPrediction pc = cnn.recognize(clip, Fixtures.SR);
            EmotionPrediction pa = adapt.recognize(clip, Fixtures.SR, memberCtx);
            EmotionPrediction got = ens.recognize(clip, Fixtures.SR, ctx);
            assertFused(expected(new EmotionPrediction[] {pc, pa}, new double[] {0.5, 1.0}), got, "clip " + i);
            speech += got.isSpeech() ? 1 : 0;
        }
        assertEquals(speech, ctx.clips(), "a clip counts when any member found speech");
        // recognizeAll with a fresh context follows the same sequence
        SpeakerContext again = ens.newSpeakerContext();
        List<EmotionPrediction> all = ens.recognizeAll(clips, Fixtures.SR, again);
        SpeakerContext third = ens.newSpeakerContext();
        for (int i = 0; i < clips.size(); i++) {
            assertClose(ens.recognize(clips.get(i), Fixtures.SR, third), all.get(i), "clip " + i);
        }
        assertEquals(speech, again.clips());
        again.reset();
        assertEquals(0, again.clips());
        assertEquals(ens.recognize(clips.get(0), Fixtures.SR, ens.newSpeakerContext()),
                ens.recognize(clips.get(0), Fixtures.SR, again), "reset: back to the prior");
    }

    @Test
    void contextsBelongToTheirRecogniser() {
        float[] clip = Fixtures.clip("vowel");
        assertThrows(IllegalArgumentException.class, () -> ens.recognize(clip, Fixtures.SR, adapt.newSpeakerContext()));
        assertThrows(IllegalArgumentException.class, () -> adapt.recognize(clip, Fixtures.SR, ens.newSpeakerContext()));
        try (OnnxEmotionRecognizer other = OnnxEmotionRecognizer.load(Fixtures.root().resolve("ensemble.card.json"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ens.recognizeAll(List.of(clip), Fixtures.SR, other.newSpeakerContext()));
            assertTrue(e.getMessage().contains("newSpeakerContext"), e.getMessage());
        }
    }

    @Test
    void modelInfoAndCards() {
        ModelInfo info = ens.model();
        assertEquals("ensemble_fixture", info.name());
        assertEquals("0.0.1-fixture", info.version());
        assertEquals("Apache-2.0", info.license());
        assertTrue(info.description().startsWith("Test fixture"));
        assertEquals(List.of("neutral", "happy", "sad", "angry"), info.labels());
        assertEquals(16000, info.sampleRate());
        assertEquals(2.0, info.windowSeconds());
        assertEquals(1.0, info.hopSeconds());
        assertTrue(ens.isEnsemble());
        assertEquals(3, ens.ensembleCard().orElseThrow().members().size());
        assertEquals(List.of(CNN, FUNC, ADAPT), ens.memberCards().stream().map(c -> c.name()).toList());
        IllegalStateException e = assertThrows(IllegalStateException.class, ens::card);
        assertTrue(e.getMessage().contains("ensemble") && e.getMessage().contains("memberCards"), e.getMessage());
        assertThrows(IllegalStateException.class, ens::pipeline);
        assertFalse(cnn.isEnsemble());
        assertEquals(List.of(cnn.card()), cnn.memberCards());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ensembles built in a temporary folder

    /** Copies a fixture's card and model into {@code dir/sub}, editing the card. */
    static Path member(Path dir, String fixture, String sub, Consumer<ObjectNode> edit) {
        try {
            Path folder = Files.createDirectories(dir.resolve(sub));
            return Fixtures.copy(fixture, folder, edit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path ensemble(Path dir, String name, String membersJson) {
        String json = "{\"format\": \"ser4j-model-card\", \"schema_version\": 1, \"name\": \"e\", \"version\": \"1\", "
                + "\"ensemble\": {\"members\": " + membersJson + "}, \"provenance\": {\"license\": \"MIT\"}}";
        try {
            return Files.writeString(dir.resolve(name), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two copies of one model with different arousal/valence tables: the probabilities are that model's, the
     * arousal/valence the hand-computable weighted mean of the tables' expectations.
     */
    @Test
    void arousalValenceIsTheWeightedMeanOfCountingMembers(@TempDir Path dir) {
        member(dir, FUNC, "a", c -> ((ObjectNode) c.get("output")).set("arousal_valence", Fixtures.JSON.valueToTree(
                java.util.Map.of("neutral", List.of(0, 0), "happy", List.of(1, 1), "sad", List.of(-1, -1),
                        "angry", List.of(1, -1)))));
        member(dir, FUNC, "b", c -> ((ObjectNode) c.get("output")).set("arousal_valence", Fixtures.JSON.valueToTree(
                java.util.Map.of("neutral", List.of(0.5, 0.5), "happy", List.of(0.5, 0.5), "sad", List.of(0.5, 0.5),
                        "angry", List.of(0.5, 0.5)))));
        Path both = ensemble(dir, "both.json", "[{\"card\": \"a/card.json\", \"weight\": 1},"
                + " {\"card\": \"b/card.json\", \"weight\": 3}]");
        Path onlyA = ensemble(dir, "onlyA.json", "[{\"card\": \"a/card.json\", \"weight\": 1},"
                + " {\"card\": \"b/card.json\", \"weight\": 3, \"arousal_valence\": false}]");
        Path none = ensemble(dir, "none.json", "[{\"card\": \"a/card.json\", \"arousal_valence\": false}]");
        float[] clip = Fixtures.clip("vowel");
        float[] p = func.recognize(clip, Fixtures.SR).probabilities();
        double arousalA = p[1] - p[2] + p[3];
        double valenceA = p[1] - p[2] - p[3];
        try (OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(both);
             OnnxEmotionRecognizer s = OnnxEmotionRecognizer.load(onlyA);
             OnnxEmotionRecognizer t = OnnxEmotionRecognizer.load(none)) {
            EmotionPrediction got = r.recognize(clip, Fixtures.SR);
            assertArrayEquals(p, got.probabilities(), 1e-6f);
            assertEquals((arousalA + 3 * 0.5) / 4, got.arousal().getAsDouble(), 1e-6);
            assertEquals((valenceA + 3 * 0.5) / 4, got.valence().getAsDouble(), 1e-6);
            EmotionPrediction onlyAGot = s.recognize(clip, Fixtures.SR);
            assertEquals(arousalA, onlyAGot.arousal().getAsDouble(), 1e-6);
            assertEquals(valenceA, onlyAGot.valence().getAsDouble(), 1e-6);
            assertTrue(t.recognize(clip, Fixtures.SR).arousal().isEmpty());
            assertTrue(t.recognize(clip, Fixtures.SR).valence().isEmpty());
        }
    }

    /**
     * One member per mode: each call must give exactly the single-clip member's or the adapted member's result, so
     * this shows which calls are adapted (streams, sessions and long recordings) and which are not.
     */
    @Test
    void modesFollowTheSpeakerContext(@TempDir Path dir) {
        member(dir, FUNC, "single", c -> { });
        member(dir, ADAPT, "adapted", c -> { });
        Path card = ensemble(dir, "card.json", "[{\"card\": \"single/card.json\", \"use\": \"single_clip\"},"
                + " {\"card\": \"adapted/card.json\", \"use\": \"adapted\", \"weight\": 2.5}]");
        float[] syllables = Fixtures.readNpy(Fixtures.root().resolve(FUNC).resolve("clips").resolve("syllables.npy"));
        float[] vowel = Fixtures.readNpy(Fixtures.root().resolve(FUNC).resolve("clips").resolve("vowel_padded.npy"));
        float[] longer = new float[syllables.length * 3 + vowel.length * 2];
        for (int i = 0; i < longer.length; i++) {
            longer[i] = i % (syllables.length + vowel.length) < syllables.length
                    ? syllables[i % (syllables.length + vowel.length)]
                    : vowel[i % (syllables.length + vowel.length) - syllables.length];
        }
        try (OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(card)) {
            assertEquals(3.0, r.model().windowSeconds(), "the first member's streaming defaults");
            // clips
            assertArrayEquals(func.recognize(vowel, Fixtures.SR).probabilities(),
                    r.recognize(vowel, Fixtures.SR).probabilities(), 1e-6f);
            assertArrayEquals(func.recognize(AudioSource.of(vowel, Fixtures.SR)).probabilities(),
                    r.recognize(AudioSource.of(vowel, Fixtures.SR)).probabilities(), 1e-6f);
            assertArrayEquals(func.analyze(AudioSource.of(vowel, Fixtures.SR)).prediction().probabilities(),
                    r.analyze(AudioSource.of(vowel, Fixtures.SR)).prediction().probabilities(), 1e-6f);
            SpeakerContext mine = r.newSpeakerContext();
            SpeakerContext theirs = adapt.newSpeakerContext();
            for (float[] clip : List.of(syllables, vowel, syllables)) {
                assertArrayEquals(adapt.recognize(clip, Fixtures.SR, theirs).probabilities(),
                        r.recognize(clip, Fixtures.SR, mine).probabilities(), 1e-6f);
            }
            SpeakerContext mine2 = r.newSpeakerContext();
            SpeakerContext theirs2 = adapt.newSpeakerContext();
            assertArrayEquals(adapt.recognize(AudioSource.of(vowel, Fixtures.SR), theirs2).probabilities(),
                    r.recognize(AudioSource.of(vowel, Fixtures.SR), mine2).probabilities(), 1e-6f);
            // a recording longer than one window is adapted
            assertTrue(longer.length > 3 * Fixtures.SR);
            assertArrayEquals(adapt.analyze(AudioSource.of(longer, Fixtures.SR)).prediction().probabilities(),
                    r.analyze(AudioSource.of(longer, Fixtures.SR)).prediction().probabilities(), 1e-6f);
            assertArrayEquals(adapt.recognize(AudioSource.of(longer, Fixtures.SR)).probabilities(),
                    r.recognize(AudioSource.of(longer, Fixtures.SR)).probabilities(), 1e-6f);
            assertFalse(java.util.Arrays.equals(func.analyze(AudioSource.of(longer, Fixtures.SR)).prediction()
                    .probabilities(), r.analyze(AudioSource.of(longer, Fixtures.SR)).prediction().probabilities()));
            // streams and sessions: adapted unless adaptation is off
            StreamOptions on = StreamOptions.defaults();
            StreamOptions off = StreamOptions.builder().adaptation(false).build();
            assertSameSegments(timeline(adapt, longer, on), timeline(r, longer, on));
            assertSameSegments(timeline(func, longer, off), timeline(r, longer, off));
            assertSameSegments(timeline(adapt, longer, on), Fixtures.pushed(r, longer, on));
            assertSameSegments(timeline(func, longer, off), Fixtures.pushed(r, longer, off));
        }
    }

    private static List<EmotionSegment> timeline(EmotionRecognizer r, float[] audio, StreamOptions options) {
        List<EmotionSegment> out = new ArrayList<>();
        r.stream(AudioSource.of(audio, Fixtures.SR), options, out::add);
        return out;
    }

    private static void assertSameSegments(List<EmotionSegment> expected, List<EmotionSegment> got) {
        assertTrue(expected.size() >= 2, "several windows: " + expected.size());
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).startSeconds(), got.get(i).startSeconds(), 1e-9);
            assertEquals(expected.get(i).endSeconds(), got.get(i).endSeconds(), 1e-9);
            assertArrayEquals(expected.get(i).prediction().probabilities(), got.get(i).prediction().probabilities(),
                    1e-6f, "segment " + i);
        }
    }

    /** The same ensemble from a packaged model (flat member names) and from the class path. */
    @Test
    void loadsFromPackagesResourcesAndTheProvider(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.root().resolve(CNN).resolve("model.onnx"), dir.resolve("cnn.onnx"));
        Files.copy(Fixtures.root().resolve(FUNC).resolve("model.onnx"), dir.resolve("functionals.onnx"));
        Files.copy(Fixtures.root().resolve(ADAPT).resolve("model.onnx"), dir.resolve("functionals-adapted.onnx"));
        for (String[] m : new String[][] {{CNN, "cnn"}, {FUNC, "functionals"}, {ADAPT, "functionals-adapted"}}) {
            ObjectNode c = (ObjectNode) Fixtures.JSON.readTree(Fixtures.card(m[0]).toFile());
            ((ObjectNode) c.get("model")).put("file", m[1] + ".onnx");
            Files.writeString(dir.resolve(m[1] + ".card.json"), c.toString());
        }
        ensemble(dir, "card.json", "[{\"card\": \"cnn.card.json\", \"weight\": 0.5, \"arousal_valence\": false},"
                + " {\"card\": \"functionals.card.json\", \"weight\": 1.5, \"use\": \"single_clip\"},"
                + " {\"card\": \"functionals-adapted.card.json\", \"use\": \"adapted\"}]");
        PackagedModel packaged = new PackagedModel() {
            @Override
            public String id() {
                return "test-ensemble";
            }

            @Override
            public InputStream open(String relativePath) throws IOException {
                Path p = dir.resolve(relativePath);
                return Files.isRegularFile(p) ? Files.newInputStream(p) : null;
            }
        };
        float[] clip = Fixtures.clip("vowel");
        SpeakerContext c1;
        try (OnnxEmotionRecognizer fromPackage = OnnxEmotionRecognizer.loadPackaged(packaged,
                RecognizerOptions.defaults());
             OnnxEmotionRecognizer fromResource = OnnxEmotionRecognizer.loadResource("/fixtures/ensemble.card.json",
                     RecognizerOptions.defaults());
             EmotionRecognizer fromProvider = EmotionRecognizer.create(dir.resolve("card.json"))) {
            for (EmotionRecognizer r : List.of(fromPackage, fromResource, fromProvider)) {
                assertEquals(ens.recognize(clip, Fixtures.SR), r.recognize(clip, Fixtures.SR), r.toString());
                assertEquals(ens.recognize(clip, Fixtures.SR, ens.newSpeakerContext()),
                        r.recognize(clip, Fixtures.SR, r.newSpeakerContext()), r.toString());
            }
            c1 = fromPackage.newSpeakerContext();
            assertEquals("classpath:/fixtures/ensemble.card.json", fromResource.ensembleCard().orElseThrow().source());
            assertEquals("package:test-ensemble/cnn.card.json", fromPackage.memberCards().get(0).source());
        }
        SpeakerContext closedCtx = c1;
        assertTrue(closedCtx.adaptive());
    }

    @Test
    void closeClosesEveryMember(@TempDir Path dir) {
        OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(Fixtures.root().resolve("ensemble.card.json"));
        r.recognize(Fixtures.clip("vowel"), Fixtures.SR);
        r.close();
        r.close();
        assertTrue(r.isClosed());
        assertThrows(IllegalStateException.class, () -> r.recognize(Fixtures.clip("vowel"), Fixtures.SR));
        assertThrows(IllegalStateException.class, () -> r.stream(AudioSource.of(Fixtures.clip("vowel"), Fixtures.SR),
                StreamOptions.defaults()));
        assertTrue(r.toString().contains("closed"), r.toString());
    }

    /** One ensemble shared by threads, each with its own speaker: every thread gets the sequential results. */
    @Test
    void oneEnsembleServesManyThreads() throws Exception {
        List<float[]> clips = clips();
        List<EmotionPrediction> single = new ArrayList<>();
        List<EmotionPrediction> adapted = new ArrayList<>();
        SpeakerContext ctx = ens.newSpeakerContext();
        for (float[] clip : clips) {
            single.add(ens.recognize(clip, Fixtures.SR));
            adapted.add(ens.recognize(clip, Fixtures.SR, ctx));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    SpeakerContext mine = ens.newSpeakerContext();
                    for (int i = 0; i < clips.size(); i++) {
                        assertEquals(single.get(i), ens.recognize(clips.get(i), Fixtures.SR));
                        assertEquals(adapted.get(i), ens.recognize(clips.get(i), Fixtures.SR, mine));
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : done) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
