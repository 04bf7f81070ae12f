package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.dsp.feature.Npy;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ser features} against librosa 0.11 goldens (src/test/python/features_golden.py): for each case, the
 * command's .npy must have librosa's shape and values. Tolerance: the largest absolute difference relative to the
 * largest golden magnitude; loose only where the signal is resampled (ser-dsp vs soxr_hq).
 */
class FeaturesCommandTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/features");
    /**
     * Relative tolerance per case. Measured: 7e-8 to 2e-7 without resampling (float32 arithmetic in another order
     * than numpy's), 3.8e-4 for mfcc_resampled (ser-dsp's resampler vs soxr_hq, 16 kHz to 22.05 kHz).
     */
    private static final Map<String, Double> TOLERANCE = Map.of("mfcc_resampled", 1e-3);
    private static final double DEFAULT_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @TestFactory
    List<DynamicTest> matchesLibrosa() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(GOLDEN.resolve("cases.json").toFile()).get("cases");
        List<DynamicTest> tests = new ArrayList<>();
        cases.fields().forEachRemaining(e -> tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
            List<String> args = new ArrayList<>(List.of("features"));
            e.getValue().get("args").forEach(a -> args.add(a.asText()));
            args.set(args.size() - 1, GOLDEN.resolve(args.get(args.size() - 1)).toString());
            Path out = dir.resolve(e.getKey() + ".npy");
            args.add("--out");
            args.add(out.toString());
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.OK, r.code, r.toString());
            Npy golden = Npy.read(GOLDEN.resolve(e.getKey() + ".npy"));
            Npy ours = Npy.read(out);
            assertEquals(golden.shape()[0], ours.shape()[0], "features");
            assertEquals(golden.shape()[1], ours.shape()[1], "frames");
            float[] expected = golden.floats();
            float[] actual = ours.floats();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            double tol = TOLERANCE.getOrDefault(e.getKey(), DEFAULT_TOLERANCE);
            assertTrue(worst <= tol * scale, e.getKey() + ": max |diff| " + worst + " > " + tol + " * " + scale);
        })));
        return tests;
    }

    @Test
    void badOptionsAreUsageErrors() {
        String clip = GOLDEN.resolve("clip22k.wav").toString();
        String out = dir.resolve("x.npy").toString();
        assertEquals(ExitCodes.USAGE, Cli.run("features", "--kind", "stft", clip).code, "missing --out");
        assertEquals(ExitCodes.USAGE, Cli.run("features", "--kind", "chroma", clip, "--out", out).code);
        assertEquals(ExitCodes.USAGE, Cli.run("features", "--kind", "stft", "--window", "kaiser", clip, "--out",
                out).code);
        assertEquals(ExitCodes.USAGE, Cli.run("features", "--kind", "stft", "--n-mels", "40", clip, "--out",
                out).code);
        assertEquals(ExitCodes.USAGE, Cli.run("features", "--kind", "mfcc", "--top-db", "-3", clip, "--out",
                out).code);
        Cli zeroHop = Cli.run("features", "--kind", "stft", "--hop-length", "0", clip, "--out", out);
        assertEquals(ExitCodes.USAGE, zeroHop.code, zeroHop.toString());
        assertEquals(ExitCodes.IO, Cli.run("features", "--kind", "stft", dir.resolve("none.wav").toString(),
                "--out", out).code);
    }
}
