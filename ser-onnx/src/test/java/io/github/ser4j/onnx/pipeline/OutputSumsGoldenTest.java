package io.github.ser4j.onnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.onnx.card.OutputAdaptation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The {@code output.adapt} arithmetic against numpy: fixtures/output_adapt/golden.json, written by
 * src/test/python/make_output_adapt_fixture.py with training/output_adapt.Running (cases of prior_count, strength and
 * floor; two speakers' sequences of float32-representable probability vectors, one with a 0, and the adapted vectors
 * in float64). Required: 1e-12 absolute (the same operations in the same order; only log/exp may differ by an ulp).
 */
class OutputSumsGoldenTest {
    private static final double TOLERANCE = 1e-12;

    private static JsonNode golden() throws IOException {
        try {
            return new ObjectMapper().readTree(Path.of(OutputSumsGoldenTest.class
                    .getResource("/fixtures/output_adapt/golden.json").toURI()).toFile());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutputAdaptation adaptation(JsonNode c) {
        return new OutputAdaptation(OutputAdaptation.Type.DEMOTE_EXCESS, c.get("prior_count").doubleValue(),
                c.get("strength").doubleValue(), c.get("floor").doubleValue());
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            double v = a.get(i).doubleValue();
            out[i] = (float) v;
            assertEquals(v, out[i], 0.0, "the fixture's inputs are float32 values");
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).doubleValue();
        }
        return out;
    }

    private static SpeakerStatistics statistics(OutputAdaptation a, int labels) {
        return new SpeakerStatistics(null, null, null, 0, 0, new OutputSums(a, labels));
    }

    /** Every case, two speakers interleaved, each with its own sums: numpy's per-speaker sequences. */
    @Test
    void interleavedSpeakersMatchNumpy() throws IOException {
        JsonNode g = golden();
        int labels = g.get("labels").intValue();
        double worst = 0;
        int vectors = 0;
        for (JsonNode c : g.get("cases")) {
            OutputAdaptation a = adaptation(c);
            JsonNode pa = c.get("speakers").get("a").get("p");
            JsonNode ya = c.get("speakers").get("a").get("adapted");
            JsonNode pb = c.get("speakers").get("b").get("p");
            JsonNode yb = c.get("speakers").get("b").get("adapted");
            OutputSums sa = new OutputSums(a, labels);
            OutputSums sb = new OutputSums(a, labels);
            for (int k = 0; k < Math.max(pa.size(), pb.size()); k++) {
                for (Object[] who : new Object[][] {{sb, pb, yb, "b"}, {sa, pa, ya, "a"}}) {
                    JsonNode p = (JsonNode) who[1];
                    if (k >= p.size()) {
                        continue;
                    }
                    double[] want = doubles(((JsonNode) who[2]).get(k));
                    double[] got = ((OutputSums) who[0]).add(floats(p.get(k)));
                    for (int i = 0; i < labels; i++) {
                        double err = Math.abs(got[i] - want[i]);
                        assertTrue(err <= TOLERANCE, a + " speaker " + who[3] + " clip " + k + " label " + i
                                + ": java " + got[i] + ", numpy " + want[i]);
                        worst = Math.max(worst, err);
                    }
                    vectors++;
                }
            }
            assertEquals(pa.size(), sa.clips());
            assertEquals(pb.size(), sb.clips());
        }
        System.out.printf("output.adapt golden: %d vectors, worst absolute error %.2e%n", vectors, worst);
    }

    /** Through the speaker context: the float probabilities are numpy's, cast to float; reset() starts over. */
    @Test
    void speakerStatisticsAdaptInPlaceAndReset() throws IOException {
        JsonNode g = golden();
        JsonNode c = g.get("cases").get(0);
        JsonNode p = c.get("speakers").get("a").get("p");
        JsonNode y = c.get("speakers").get("a").get("adapted");
        SpeakerStatistics s = statistics(adaptation(c), g.get("labels").intValue());
        assertTrue(s.adaptive());
        assertTrue(s.adaptsOutput());
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < p.size(); k++) {
                float[] x = floats(p.get(k));
                s.adaptOutput(x);
                double[] want = doubles(y.get(k));
                for (int i = 0; i < x.length; i++) {
                    assertEquals((float) want[i], x[i], 0f, "round " + round + " clip " + k + " label " + i);
                }
            }
            s.reset();
        }
        SpeakerStatistics plain = new SpeakerStatistics(null, null, null, 0, 0);
        assertFalse(plain.adaptive());
        assertFalse(plain.adaptsOutput());
        float[] x = floats(p.get(0));
        float[] copy = x.clone();
        plain.adaptOutput(x);
        assertArrayEquals(copy, x, 0f, "no output.adapt: unchanged");
    }

    /** An update allocates nothing: the sums and the work array are made once, the probabilities adapted in place. */
    @Test
    void updatesDoNotAllocate() throws IOException {
        JsonNode g = golden();
        JsonNode c = g.get("cases").get(0);
        SpeakerStatistics s = statistics(adaptation(c), g.get("labels").intValue());
        float[] x = floats(c.get("speakers").get("a").get("p").get(0));
        float[] copy = x.clone();
        long allocated = Allocations.ofRuns(() -> {
            System.arraycopy(copy, 0, x, 0, x.length);
            s.adaptOutput(x);
        }, 20_000, 10_000);
        assertTrue(allocated < 1024, allocated + " bytes allocated by 10000 updates");
    }
}
