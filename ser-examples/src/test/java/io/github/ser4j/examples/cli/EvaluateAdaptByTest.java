package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --adapt-by} with the embedded default model on the committed espeak-ng samples. The expected
 * predictions come from the public API alone: {@code recognize(Path, SpeakerContext)} in manifest order with one
 * {@code newSpeakerContext()} per speaker, and {@code recognize(Path)} for rows without a speaker. Per-row
 * predictions are read from the JSON's {@code predictions} (option {@code --predictions}).
 */
class EvaluateAdaptByTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("samples").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void adaptedPredictionsEqualTheApiWithOneContextPerSpeaker() throws Exception {
        // Manifest order, interleaving the two speakers; a missing file in group a (fails that row only, the
        // group goes on), a row without a speaker (recognised alone), and a file longer than the model's window.
        String[][] rows = {
                {"hello.wav", "a"}, {"upset.wav", "b"}, {"calm.wav", "a"}, {"missing.wav", "a"},
                {"upset.wav", "a"}, {"calm.wav", ""}, {"hello.wav", "b"}, {"conversation.wav", "b"},
                {"calm.wav", "b"}, {"hello.wav", "a"}};
        try (EmotionRecognizer api = EmotionRecognizer.create()) {
            String label = api.model().labels().get(0); // the truth does not matter here, only the predictions
            StringBuilder csv = new StringBuilder("path,speaker,label\n");
            for (String[] r : rows) {
                csv.append(SAMPLES.resolve(r[0])).append(',').append(r[1]).append(',').append(label).append('\n');
            }
            Path manifest = Files.writeString(dir.resolve("m.csv"), csv);

            // Expected, from the API: one context per speaker, in manifest order; a failing file skipped.
            Map<String, SpeakerContext> contexts = new HashMap<>();
            List<EmotionPrediction> expected = new ArrayList<>();
            for (String[] r : rows) {
                Path file = SAMPLES.resolve(r[0]);
                if (!Files.exists(file)) {
                    expected.add(null);
                    continue;
                }
                expected.add(r[1].isEmpty() ? api.recognize(file)
                        : api.recognize(file, contexts.computeIfAbsent(r[1], k -> api.newSpeakerContext())));
            }

            Path out = dir.resolve("adapted.json");
            Cli adapted = Cli.run("evaluate", "--manifest", manifest.toString(), "--adapt-by", "speaker",
                    "--predictions", "--threads", "2", "--json", out.toString(), "--report",
                    dir.resolve("r.html").toString());
            assertEquals(ExitCodes.SOME_FAILED, adapted.code, adapted.toString()); // the missing file
            JsonNode o = JSON.readTree(Files.readString(out));
            assertEquals("speaker", o.get("adapt_by").asText());
            assertEquals(2, o.get("adapted_groups").asInt());
            assertEquals(1, o.get("unadapted_rows").asInt());
            assertEquals(1, o.get("failed").asInt());
            assertEquals(5, o.get("errors").get(0).get("line").asInt());
            assertTrue(adapted.err.contains("2 groups, 1 row without a value recognised alone"), adapted.err);
            String html = Files.readString(dir.resolve("r.html"));
            assertTrue(html.contains("<th>speaker adaptation</th><td>by column &#39;speaker&#39;: 2 groups, 1 row "
                    + "without a value recognised alone</td>"), html);

            Map<Integer, JsonNode> byLine = new HashMap<>();
            o.get("predictions").forEach(p -> byLine.put(p.get("line").asInt(), p));
            assertEquals(rows.length - 1, byLine.size());
            for (int i = 0; i < rows.length; i++) {
                EmotionPrediction e = expected.get(i);
                JsonNode p = byLine.get(i + 2); // header is line 1
                if (e == null) {
                    assertNull(p, "row " + (i + 2) + " failed");
                    continue;
                }
                assertEquals(e.label(), p.get("predicted").asText(), "row " + (i + 2));
                for (String l : e.labels()) {
                    assertEquals(e.probability(l), p.get("probabilities").get(l).asDouble(), 1e-6,
                            "row " + (i + 2) + " " + l);
                }
            }

            // Adaptation happened: some row's probabilities differ from the single-clip run.
            Cli single = Cli.run("evaluate", "--manifest", manifest.toString(), "--predictions");
            JsonNode s = JSON.readTree(single.out);
            assertTrue(s.get("adapt_by").isNull(), single.out);
            assertEquals(0, s.get("adapted_groups").asInt());
            assertEquals(rows.length, s.get("unadapted_rows").asInt());
            double maxDiff = 0;
            for (JsonNode p : s.get("predictions")) {
                JsonNode a = byLine.get(p.get("line").asInt());
                for (String l : api.model().labels()) {
                    maxDiff = Math.max(maxDiff, Math.abs(a.get("probabilities").get(l).asDouble()
                            - p.get("probabilities").get(l).asDouble()));
                }
            }
            assertTrue(maxDiff > 1e-3, "adapted and single-clip probabilities differ: max diff " + maxDiff);
            // the row without a speaker is the same in both runs
            JsonNode alone = byLine.get(7);
            for (JsonNode p : s.get("predictions")) {
                if (p.get("line").asInt() == 7) {
                    assertEquals(p.get("probabilities"), alone.get("probabilities"));
                }
            }
        }
    }
}
