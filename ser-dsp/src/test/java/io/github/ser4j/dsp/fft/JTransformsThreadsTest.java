package io.github.ser4j.dsp.fft;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JTransforms (through JLargeArrays' pool of non-daemon threads) must never start threads for ser-dsp: sizes above
 * its thresholds (8,192 and 65,536 points) would otherwise run on pool threads that keep a JVM alive for a minute.
 */
class JTransformsThreadsTest {

    /** Entry point of the child JVM: large transforms, then return from main. */
    public static void main(String[] args) {
        runLargeTransforms();
        System.out.println("done");
    }

    static void runLargeTransforms() {
        Random random = new Random(1);
        for (int n : new int[] {1 << 14, 1 << 17, 100_003, 3 * (1 << 15)}) {
            RealFft fft = new RealFft(n);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextGaussian();
            }
            fft.forward(x, new double[fft.binCount()], new double[fft.binCount()]);
        }
    }

    private static Set<String> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void largeTransformsStartNoNonDaemonThread() {
        Set<String> before = nonDaemonThreads();
        runLargeTransforms();
        Set<String> after = nonDaemonThreads();
        after.removeAll(before);
        assertTrue(after.isEmpty(), "new non-daemon threads: " + after);
        assertEquals(1, pl.edu.icm.jlargearrays.ConcurrencyUtils.getNumberOfThreads());
    }

    @Test
    void aJvmUsingLargeTransformsExitsPromptly() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JTransformsThreadsTest.class.getName()).redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "ser4j-fft-child.log")).start();
        // a leaked JLargeArrays pool thread would keep the child alive for 60 s after main returns
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertTrue(exited, "child JVM did not exit within 30 s after its FFTs");
        assertEquals(0, p.exitValue());
    }
}
