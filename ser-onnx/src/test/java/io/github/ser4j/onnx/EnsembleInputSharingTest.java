package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.SpeakerContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ensemble members whose cards prepare the same input (same audio and features sections, no {@code features.adapt},
 * same layout) compute it once per clip, and every member still answers exactly as it does loaded alone: the truth
 * is each member's own recogniser, with its own speaker context.
 */
class EnsembleInputSharingTest {
    private static final double[] SINGLE = {1, 2, 1.5};
    private static final double[] ADAPTED = {1, 2, 1, 3};

    @Test
    void membersWithTheSameInputComputeItOnceAndAnswerAsAlone(@TempDir Path dir) {
        Path a = EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.CNN, "a", c -> { });
        // the same features with output adaptation: shares a's input, adapts its own output
        Path b = EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.CNN, "b", c -> ((ObjectNode) c.get("output"))
                .set("adapt", Fixtures.JSON.createObjectNode().put("type", "demote_excess").put("prior_count", 3)
                        .put("strength", 1).put("floor", 1e-7)));
        Path c = EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.FUNC, "c", x -> { });
        // features.adapt: each needs its own speaker statistics, so neither shares
        Path d = EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.ADAPT, "d", x -> { });
        Path e = EnsembleRecognizerTest.member(dir, EnsembleRecognizerTest.ADAPT, "e", x -> { });
        Path card = EnsembleRecognizerTest.ensemble(dir, "card.json", "["
                + "{\"card\": \"a/card.json\", \"weight\": 1}, {\"card\": \"b/card.json\", \"weight\": 2},"
                + " {\"card\": \"c/card.json\", \"weight\": 1.5, \"use\": \"single_clip\"},"
                + " {\"card\": \"d/card.json\", \"weight\": 1, \"use\": \"adapted\"},"
                + " {\"card\": \"e/card.json\", \"weight\": 3, \"use\": \"adapted\"}]");
        List<float[]> clips = EnsembleRecognizerTest.clips();
        try (OnnxEmotionRecognizer r = OnnxEmotionRecognizer.load(card);
             OnnxEmotionRecognizer ra = OnnxEmotionRecognizer.load(a);
             OnnxEmotionRecognizer rb = OnnxEmotionRecognizer.load(b);
             OnnxEmotionRecognizer rc = OnnxEmotionRecognizer.load(c);
             OnnxEmotionRecognizer rd = OnnxEmotionRecognizer.load(d);
             OnnxEmotionRecognizer re = OnnxEmotionRecognizer.load(e)) {
            assertArrayEquals(new int[] {0, 0, 2, 3, 4}, r.memberInputSources());
            // single clip: a, b (no context: output not adapted) and c; batched against the members batched (a
            // batch of several clips rounds differently from one clip)
            List<EmotionPrediction> all = r.recognizeAll(clips, Fixtures.SR);
            List<List<EmotionPrediction>> allAlone = List.of(ra.recognizeAll(clips, Fixtures.SR),
                    rb.recognizeAll(clips, Fixtures.SR), rc.recognizeAll(clips, Fixtures.SR));
            for (int i = 0; i < clips.size(); i++) {
                float[] clip = clips.get(i);
                EnsembleRecognizerTest.assertFused(EnsembleRecognizerTest.expected(new EmotionPrediction[] {
                    ra.recognize(clip, Fixtures.SR), rb.recognize(clip, Fixtures.SR),
                    rc.recognize(clip, Fixtures.SR)}, SINGLE), r.recognize(clip, Fixtures.SR), "clip " + i);
                EnsembleRecognizerTest.assertFused(EnsembleRecognizerTest.expected(at(allAlone, i), SINGLE),
                        all.get(i), "recognizeAll, clip " + i);
            }
            // adapted: a, b with its output adapted, d and e, each over its own context, clip by clip and batched
            SpeakerContext mine = r.newSpeakerContext();
            List<OnnxEmotionRecognizer> members = List.of(ra, rb, rd, re);
            List<SpeakerContext> theirs = members.stream().map(OnnxEmotionRecognizer::newSpeakerContext).toList();
            List<EmotionPrediction> allAdapted = r.recognizeAll(clips, Fixtures.SR, r.newSpeakerContext());
            List<List<EmotionPrediction>> allAdaptedAlone = members.stream()
                    .map(m -> m.recognizeAll(clips, Fixtures.SR, m.newSpeakerContext())).toList();
            int speech = 0;
            for (int i = 0; i < clips.size(); i++) {
                EmotionPrediction[] parts = new EmotionPrediction[members.size()];
                for (int k = 0; k < parts.length; k++) {
                    parts[k] = members.get(k).recognize(clips.get(i), Fixtures.SR, theirs.get(k));
                }
                double[] expected = EnsembleRecognizerTest.expected(parts, ADAPTED);
                EnsembleRecognizerTest.assertFused(expected, r.recognize(clips.get(i), Fixtures.SR, mine),
                        "adapted, clip " + i);
                EnsembleRecognizerTest.assertFused(EnsembleRecognizerTest.expected(at(allAdaptedAlone, i), ADAPTED),
                        allAdapted.get(i), "adapted recognizeAll, clip " + i);
                speech += expected == null ? 0 : 1;
            }
            assertTrue(speech >= 6, "most clips have speech: " + speech);
        }
    }

    private static EmotionPrediction[] at(List<List<EmotionPrediction>> byMember, int clip) {
        return byMember.stream().map(l -> l.get(clip)).toArray(EmotionPrediction[]::new);
    }
}
