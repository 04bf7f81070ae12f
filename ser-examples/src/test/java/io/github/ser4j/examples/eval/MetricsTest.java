package io.github.ser4j.examples.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    @Test
    void handComputedTwoClassExample() {
        // truth a a b b, predicted a b b no_speech:
        // confusion [[1,1],[0,1]], no_speech [0,1]; P(a)=1/1, P(b)=1/2; R(a)=1/2, R(b)=1/2;
        // F1(a)=2*1*0.5/1.5=2/3, F1(b)=0.5; accuracy 2/4; UAR 0.5; macro F1 (2/3+1/2)/2=7/12.
        Metrics m = Metrics.of(List.of("a", "b"), List.of("a", "a", "b", "b"), List.of("a", "b", "b", "no_speech"));
        assertEquals(4, m.n());
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals(0.5, m.uar(), 1e-12);
        assertEquals(7.0 / 12, m.macroF1(), 1e-12);
        assertEquals(1.0, m.precision(0), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(2.0 / 3, m.f1(0), 1e-12);
        assertEquals(2, m.support(1));
        assertEquals(1, m.confusion(0, 1));
        assertEquals(0, m.confusion(1, 0));
        assertEquals(1, m.noSpeech(1));
    }

    @Test
    void matchesScikitLearnOnTheCommittedExample() throws Exception {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/golden/metrics_sklearn.json")) {
            g = new ObjectMapper().readTree(in);
        }
        List<String> labels = strings(g.get("labels"));
        Metrics m = Metrics.of(labels, strings(g.get("y_true")), strings(g.get("y_pred")));
        assertEquals(g.get("accuracy").asDouble(), m.accuracy(), 1e-12);
        assertEquals(g.get("uar").asDouble(), m.uar(), 1e-12);
        assertEquals(g.get("macro_f1").asDouble(), m.macroF1(), 1e-12);
        for (int c = 0; c < labels.size(); c++) {
            JsonNode pc = g.get("per_class").get(labels.get(c));
            assertEquals(pc.get("precision").asDouble(), m.precision(c), 1e-12, labels.get(c));
            assertEquals(pc.get("recall").asDouble(), m.recall(c), 1e-12, labels.get(c));
            assertEquals(pc.get("f1").asDouble(), m.f1(c), 1e-12, labels.get(c));
            assertEquals(pc.get("support").asInt(), m.support(c), labels.get(c));
            for (int p = 0; p < labels.size(); p++) {
                assertEquals(g.get("confusion").get(c).get(p).asInt(), m.confusion(c, p));
            }
        }
        JsonNode json = m.toJson();
        assertEquals(g.get("confusion"), json.get("confusion").get("matrix"));
        assertEquals(g.get("macro_f1").asDouble(), json.get("macro_f1").asDouble(), 1e-12);
    }

    @Test
    void emptyAndInvalidInputs() {
        Metrics empty = Metrics.of(List.of("a", "b"), List.of(), List.of());
        assertTrue(Double.isNaN(empty.accuracy()));
        assertTrue(empty.toJson().get("accuracy").isNull());
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(List.of("a"), List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(List.of("a"), List.of("x"), List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(List.of("a"), List.of("a"), List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(List.of("a", "a"), List.of(), List.of()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
