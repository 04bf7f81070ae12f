package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No network access and no non-daemon thread surviving {@code close()}: under a security manager that refuses every
 * socket and URL permission, a child JVM loads a recogniser through the public API, recognises
 * a clip and a batch from 4 threads, runs a stream, closes it and returns from {@code main} without
 * {@code System.exit}; it must exit by itself, promptly. (A lingering pool thread, such as JTransforms' or an
 * executor left running, keeps a JVM alive: the child would then be killed after the timeout and the test fails.)
 */
class JvmExitsAfterCloseTest {

    /** The child JVM's program. */
    public static final class Child {
        @SuppressWarnings("removal")
        public static void main(String[] args) throws Exception {
            float[] clip = Fixtures.clip("chirp");
            NoNetwork guard = new NoNetwork();
            System.setSecurityManager(guard);
            try (EmotionRecognizer ser = EmotionRecognizer.create(Path.of(args[0]))) {
                Thread[] threads = new Thread[4];
                for (int t = 0; t < threads.length; t++) {
                    threads[t] = new Thread(() -> {
                        for (int i = 0; i < 20; i++) {
                            ser.recognize(clip, 16000);
                        }
                        ser.recognizeAll(List.of(clip, clip), 16000);
                    });
                    threads[t].start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                try (SegmentStream s = ser.stream(AudioSource.of(clip, 16000), StreamOptions.defaults())) {
                    s.forEachRemaining(x -> { });
                }
            }
            StringBuilder alive = new StringBuilder();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.isDaemon() && t != Thread.currentThread() && t.isAlive()) {
                    alive.append(t.getName()).append(' ');
                }
            }
            System.out.println("NETWORK_ATTEMPTS=" + guard.attempts);
            System.out.println("NON_DAEMON_AFTER_CLOSE=" + alive.toString().trim());
        }
    }

    /** Refuses (and counts) every network permission the JVM checks; allows everything else. */
    @SuppressWarnings("removal")
    static final class NoNetwork extends SecurityManager {
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void checkPermission(java.security.Permission perm) {
            if (perm instanceof java.net.SocketPermission || perm instanceof java.net.URLPermission) {
                attempts.incrementAndGet();
                throw new SecurityException("network access refused by the test: " + perm);
            }
        }

        @Override
        public void checkPermission(java.security.Permission perm, Object context) {
            checkPermission(perm);
        }
    }

    @Test
    void childJvmExitsByItselfAfterClose() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-Djava.security.manager=allow", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), Fixtures.card("keras_cnn_logmel_nhwc").toString());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "the child JVM did not exit within 60 s after close(): a non-daemon thread lingers\n"
                + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("NON_DAEMON_AFTER_CLOSE="), output);
        assertTrue(output.contains("NETWORK_ATTEMPTS=0"), "no network access while loading and running: " + output);
        String line = output.lines().filter(l -> l.startsWith("NON_DAEMON_AFTER_CLOSE=")).findFirst().orElseThrow();
        // DestroyJavaVM is the JVM's own, waiting for main to return
        assertTrue(line.replace("DestroyJavaVM", "").trim().equals("NON_DAEMON_AFTER_CLOSE="),
                "non-daemon threads alive after close(): " + line);
    }
}
