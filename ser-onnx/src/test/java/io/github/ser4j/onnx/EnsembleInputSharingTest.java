package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.SpeakerContext;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ensemble members whose cards prepare the same input (same audio, speech gate and features sections, no
 * {@code features.adapt}, same layout) compute it once per clip, and every member still answers exactly as it does
 * loaded alone: the truth is each member's own recogniser, with its own speaker context.
 */
class EnsembleInputSharingTest {
    private static final String CNN = EnsembleRecognizerTest.CNN;
    /** The members in card order (folders made by {@link #members}), their weights and uses. */
    private static final String[] NAMES = {"a0", "a", "b", "c", "d", "e", "f"};
    private static final double[] WEIGHTS = {1, 1, 2, 1.5, 1, 3, 0.5};
    private static final String[] USES = {"adapted", "always", "always", "single_clip", "adapted", "adapted", "always"};
    /** Members that run in single-clip calls and in adapted calls. */
    private static final int[] SINGLE = {1, 2, 3, 6};
    private static final int[] ADAPTED = {0, 1, 2, 4, 5, 6};

    private static Path[] members(Path dir) {
        Consumer<ObjectNode> none = c -> { };
        Consumer<ObjectNode> outputAdapt = c -> ((ObjectNode) c.get("output")).set("adapt", Fixtures.JSON
                .createObjectNode().put("type", "demote_excess").put("prior_count", 3).put("strength", 1)
                .put("floor", 1e-7));
        Consumer<ObjectNode> otherGate = c -> c.set("speech_gate", Fixtures.JSON.createObjectNode()
                .put("enabled", true).put("min_rms_dbfs", -30.0).put("frame_seconds", 0.025));
        return new Path[] {
            EnsembleRecognizerTest.member(dir, CNN, "a0", none), // adapted calls only: the CNNs' source
            EnsembleRecognizerTest.member(dir, CNN, "a", none),
            EnsembleRecognizerTest.member(dir, CNN, "b", outputAdapt), // same input, its own output adaptation
            EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.FUNC, "c", none),
            // features.adapt: each needs its own speaker statistics, so neither shares
            EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.ADAPT, "d", none),
            EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.ADAPT, "e", none),
            EnsembleRecognizerTest.member(dir, CNN, "f", otherGate), // another speech gate: its own input
        };
    }

    @Test
    void membersWithTheSameInputComputeItOnceAndAnswerAsAlone(@TempDir Path dir) {
        Path[] cards = members(dir);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < NAMES.length; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"card\": \"").append(NAMES[i]).append("/card.json\", \"weight\": ")
                    .append(WEIGHTS[i]).append(", \"use\": \"").append(USES[i]).append("\"}");
        }
        Path card = EnsembleRecognizerTest.ensemble(dir, "card.json", json.append("]").toString());
        List<float[]> clips = EnsembleRecognizerTest.clips();
        OnnxEmotionRecognizer[] alone = new OnnxEmotionRecognizer[cards.length];
        try (OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(card)) {
            for (int i = 0; i < cards.length; i++) {
                alone[i] = OnnxEmotionRecognizer.load(cards[i]);
            }
            assertArrayEquals(new int[] {0, 0, 0, 3, 4, 5, 6}, r.memberInputSources());
            // single clip: a0 does not run, so a prepares the CNNs' input and b reuses it
            long[] before = r.memberInputsPrepared();
            List<EmotionPrediction> all = r.recognizeAll(clips, Fixtures.SR);
            List<List<EmotionPrediction>> allAlone = batches(alone, SINGLE, clips, false);
            for (int i = 0; i < clips.size(); i++) {
                EnsembleRecognizerTest.assertFused(expected(alone, SINGLE, clips.get(i), null),
                        r.recognize(clips.get(i), Fixtures.SR), "clip " + i);
                EnsembleRecognizerTest.assertFused(EnsembleRecognizerTest.expected(at(allAlone, i), weights(SINGLE)),
                        all.get(i), "recognizeAll, clip " + i);
            }
            assertPrepared(new long[] {0, 2, 0, 2, 0, 0, 2}, clips.size(), before, r.memberInputsPrepared());
            // adapted: a0 prepares, a and b reuse; b adapts its output, d and e their features, each in its context
            before = r.memberInputsPrepared();
            SpeakerContext mine = r.newSpeakerContext();
            List<EmotionPrediction> allAdapted = r.recognizeAll(clips, Fixtures.SR, r.newSpeakerContext());
            List<List<EmotionPrediction>> allAdaptedAlone = batches(alone, ADAPTED, clips, true);
            SpeakerContext[] theirs = new SpeakerContext[alone.length];
            for (int k : ADAPTED) {
                theirs[k] = alone[k].newSpeakerContext();
            }
            int speech = 0;
            for (int i = 0; i < clips.size(); i++) {
                double[] expected = expected(alone, ADAPTED, clips.get(i), theirs);
                EnsembleRecognizerTest.assertFused(expected, r.recognize(clips.get(i), Fixtures.SR, mine),
                        "adapted, clip " + i);
                EnsembleRecognizerTest.assertFused(EnsembleRecognizerTest.expected(at(allAdaptedAlone, i),
                        weights(ADAPTED)), allAdapted.get(i), "adapted recognizeAll, clip " + i);
                speech += expected == null ? 0 : 1;
            }
            assertPrepared(new long[] {2, 0, 0, 0, 2, 2, 2}, clips.size(), before, r.memberInputsPrepared());
            assertTrue(speech >= 6, "most clips have speech: " + speech);
        } finally {
            for (OnnxEmotionRecognizer m : alone) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

    /** Member i ran its own pipeline {@code perClip[i]} times per clip, over one recognize and one recognizeAll. */
    private static void assertPrepared(long[] perClip, int clips, long[] before, long[] after) {
        long[] got = new long[after.length];
        long[] want = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            got[i] = after[i] - before[i];
            want[i] = perClip[i] * clips;
        }
        assertArrayEquals(want, got, "clips whose input each member prepared itself");
    }

    /** The weighted mean of the running members' own answers, clip by clip (with their contexts when adapted). */
    private static double[] expected(OnnxEmotionRecognizer[] alone, int[] running, float[] clip,
                                     SpeakerContext[] contexts) {
        EmotionPrediction[] parts = new EmotionPrediction[running.length];
        for (int j = 0; j < running.length; j++) {
            int k = running[j];
            parts[j] = contexts == null ? alone[k].recognize(clip, Fixtures.SR)
                    : alone[k].recognize(clip, Fixtures.SR, contexts[k]);
        }
        return EnsembleRecognizerTest.expected(parts, weights(running));
    }

    /** The running members' own batched answers (a batch rounds differently from one clip). */
    private static List<List<EmotionPrediction>> batches(OnnxEmotionRecognizer[] alone, int[] running,
                                                         List<float[]> clips, boolean adapted) {
        return java.util.Arrays.stream(running).mapToObj(k -> adapted
                ? alone[k].recognizeAll(clips, Fixtures.SR, alone[k].newSpeakerContext())
                : alone[k].recognizeAll(clips, Fixtures.SR)).toList();
    }

    private static double[] weights(int[] running) {
        return java.util.Arrays.stream(running).mapToDouble(k -> WEIGHTS[k]).toArray();
    }

    private static EmotionPrediction[] at(List<List<EmotionPrediction>> byMember, int clip) {
        return byMember.stream().map(l -> l.get(clip)).toArray(EmotionPrediction[]::new);
    }
}
