package io.github.ser4j.onnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.onnx.card.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code features.adapt} running z-score against numpy: fixtures/adapt/golden.json, written by
 * src/test/python/make_adapt_fixture.py with training/loco_functionals.online_zscore (two speakers' sequences of
 * float64 vectors and their adapted values). Required: 1e-9 relative (the arithmetic is the same, in the same order).
 */
class SpeakerStatisticsGoldenTest {
    private static final double TOLERANCE = 1e-9;

    private static JsonNode golden() throws IOException {
        try {
            return new ObjectMapper().readTree(Path.of(SpeakerStatisticsGoldenTest.class
                    .getResource("/fixtures/adapt/golden.json").toURI()).toFile());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelCard.Adaptation adaptation(JsonNode g) {
        return new ModelCard.Adaptation(ModelCard.AdaptationType.RUNNING, g.get("prior_count").doubleValue(),
                list(g.get("prior_mean")), list(g.get("prior_var")), g.get("epsilon").doubleValue());
    }

    private static List<Double> list(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(v -> out.add(v.doubleValue()));
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).doubleValue();
        }
        return out;
    }

    private static SpeakerStatistics statistics(ModelCard.Adaptation a, int rows, int cols) {
        double[][] prior = SpeakerStatistics.priorSums(a, rows, cols);
        return new SpeakerStatistics(null, prior[0], prior[1], a.priorCount(), a.epsilon());
    }

    private static double check(double[] want, double[] got, String what) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
            assertTrue(err <= TOLERANCE, what + " value " + i + ": java " + got[i] + ", numpy " + want[i]);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** Two speakers interleaved, each with its own statistics, give numpy's per-speaker sequences. */
    @Test
    void interleavedSpeakersMatchNumpy() throws IOException {
        JsonNode g = golden();
        ModelCard.Adaptation a = adaptation(g);
        int d = a.priorMean().size();
        JsonNode xa = g.get("speakers").get("a").get("x");
        JsonNode ya = g.get("speakers").get("a").get("y");
        JsonNode xb = g.get("speakers").get("b").get("x");
        JsonNode yb = g.get("speakers").get("b").get("y");
        SpeakerStatistics sa = statistics(a, d, 1);
        SpeakerStatistics sb = statistics(a, d, 1);
        double worst = 0;
        for (int k = 0; k < Math.max(xa.size(), xb.size()); k++) {
            if (k < xb.size()) {
                double[] x = doubles(xb.get(k));
                sb.update(x);
                worst = Math.max(worst, check(doubles(yb.get(k)), x, "speaker b clip " + k));
            }
            if (k < xa.size()) {
                double[] x = doubles(xa.get(k));
                sa.update(x);
                worst = Math.max(worst, check(doubles(ya.get(k)), x, "speaker a clip " + k));
            }
        }
        assertEquals(xa.size(), sa.clips());
        assertEquals(xb.size(), sb.clips());
        System.out.printf("adapt golden: %d + %d vectors of %d, worst relative error %.2e%n", xa.size(), xb.size(), d,
                worst);
    }

    /** An update allocates nothing: the running sums are two arrays made once, the matrix is adapted in place. */
    @Test
    void updatesDoNotAllocate() throws IOException {
        JsonNode g = golden();
        ModelCard.Adaptation a = adaptation(g);
        SpeakerStatistics s = statistics(a, a.priorMean().size(), 1);
        double[] x = doubles(g.get("speakers").get("a").get("x").get(0));
        double[] copy = x.clone();
        long allocated = Allocations.ofRuns(() -> {
            System.arraycopy(copy, 0, x, 0, x.length);
            s.update(x);
        }, 20_000, 10_000);
        assertTrue(allocated < 1024, allocated + " bytes allocated by 10000 updates");
    }

    /** reset() returns to the prior: the sequence then repeats exactly. */
    @Test
    void resetStartsOver() throws IOException {
        JsonNode g = golden();
        ModelCard.Adaptation a = adaptation(g);
        JsonNode xa = g.get("speakers").get("a").get("x");
        SpeakerStatistics s = statistics(a, a.priorMean().size(), 1);
        double[] first = doubles(xa.get(0));
        s.update(first);
        double[] second = doubles(xa.get(1));
        s.update(second);
        s.reset();
        assertEquals(0, s.clips());
        double[] again = doubles(xa.get(0));
        s.update(again);
        assertArrayEquals(first, again, 0.0);
    }

    /** A per-row prior broadcasts over the columns of an R x C matrix: each element has its own sums. */
    @Test
    void perRowPriorBroadcastsOverColumns() throws IOException {
        JsonNode g = golden();
        ModelCard.Adaptation a = adaptation(g);
        int d = a.priorMean().size();
        JsonNode xa = g.get("speakers").get("a").get("x");
        JsonNode ya = g.get("speakers").get("a").get("y");
        SpeakerStatistics s = statistics(a, d, 2); // column 0: speaker a, column 1: speaker a's clips reversed
        int n = xa.size();
        SpeakerStatistics reversed = statistics(a, d, 1);
        double[][] revWant = new double[n][];
        for (int k = 0; k < n; k++) {
            double[] x = doubles(xa.get(n - 1 - k));
            reversed.update(x);
            revWant[k] = x;
        }
        for (int k = 0; k < n; k++) {
            double[] x0 = doubles(xa.get(k));
            double[] x1 = doubles(xa.get(n - 1 - k));
            double[] m = new double[2 * d];
            for (int r = 0; r < d; r++) {
                m[2 * r] = x0[r];
                m[2 * r + 1] = x1[r];
            }
            s.update(m);
            double[] y0 = doubles(ya.get(k));
            for (int r = 0; r < d; r++) {
                assertEquals(y0[r], m[2 * r], TOLERANCE * Math.max(1, Math.abs(y0[r])), "row " + r + " col 0");
                assertEquals(revWant[k][r], m[2 * r + 1], 0.0, "row " + r + " col 1");
            }
        }
    }
}
