package io.github.ser4j.onnx;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A native library that cannot load (as on musl/Alpine) must be a ModelException that says what to do, not an
 * UnsatisfiedLinkError. Needs a fresh JVM (a failed native load poisons the ONNX Runtime classes), so it forks one
 * with {@code -Donnxruntime.native.path} pointing nowhere.
 */
class NativeLoadFailureTest {

    /** Entry point of the forked JVM: loads a fixture and prints what happens. */
    public static void main(String[] args) {
        for (int attempt = 0; attempt < 2; attempt++) { // the second attempt meets the poisoned classes
            try {
                OnnxEmotionRecognizer.load(Path.of(args[0])).close();
                System.out.println("LOADED");
            } catch (Throwable t) {
                System.out.println("THROWN " + t.getClass().getName() + ": " + t.getMessage());
            }
        }
    }

    @Test
    void missingNativeLibraryIsAModelExceptionWithAdvice() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Donnxruntime.native.path=" + File.separator + "nonexistent-ser4j",
                NativeLoadFailureTest.class.getName(), Fixtures.card("torch_waveform_nct").toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "forked JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("THROWN") || l.startsWith("LOADED")).toList();
        assertEquals(2, lines.size(), out);
        for (String line : lines) {
            assertTrue(line.startsWith("THROWN io.github.ser4j.api.ModelException: the ONNX Runtime native library "
                    + "cannot be loaded on this platform"), line);
            assertTrue(line.contains("musl") && line.contains("glibc") && line.contains("onnxruntime.native.path"),
                    line);
        }
    }
}
