package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecordingPrediction;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory of {@code analyze(AudioSource)} does not grow with the recording: a child JVM with a 16 MB heap analyses
 * generated recordings of unknown length (as a FLAC or a pipe) whose mono samples at the model's rate alone would
 * take 38 MB (10 min at 16 kHz) and 19 MB (5 min of 44.1 kHz stereo, resampled), plus a 1-minute one. Holding a
 * recording, at any rate, fails with {@code OutOfMemoryError}.
 */
class RecordingMemoryTest {
    private static final String HEAP = "-Xmx16m";

    /** A generated recording: 1 s of voice every 20 s, silence between; unknown length; holds no samples. */
    static final class Generated implements AudioSource {
        private final PcmFormat format;
        private final long frames;
        private long pos;

        Generated(PcmFormat format, double seconds) {
            this.format = format;
            this.frames = Math.round(seconds * format.sampleRate());
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int count) {
            if (pos >= frames) {
                return -1;
            }
            int rate = format.sampleRate();
            int k = (int) Math.min(count, frames - pos);
            for (int f = 0; f < k; f++) {
                long i = pos + f;
                float v = i % (20L * rate) < rate ? RecordingAnalysisTest.voice(i, rate) : 0f;
                for (int c = 0; c < format.channels(); c++) {
                    buffer[offset + f * format.channels() + c] = v;
                }
            }
            pos += k;
            return k;
        }

        @Override
        public void close() {
        }
    }

    /** Run in the child JVM: prints one line per recording. */
    public static final class Child {
        public static void main(String[] args) {
            try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Path.of(args[0]))) {
                for (String spec : new String[] {"16000:1:60", "16000:1:600", "44100:2:300"}) {
                    String[] f = spec.split(":");
                    PcmFormat format = new PcmFormat(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
                    RecordingPrediction r = ser.analyze(new Generated(format, Double.parseDouble(f[2])));
                    System.out.println(String.format(Locale.ROOT, "RESULT %s duration=%.3f windows=%d speech=%s",
                            spec, r.durationSeconds(), r.windows(), r.prediction().isSpeech()));
                }
            }
        }
    }

    @Test
    void tenMinutesOfUnknownLengthAreAnalysedInASixteenMegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, HEAP, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), Fixtures.card("keras_cnn_logmel_nhwc").toString());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        boolean exited = p.waitFor(170, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "the child JVM did not finish in 170 s\n" + output);
        assertEquals(0, p.exitValue(), "an OutOfMemoryError means memory grows with the recording:\n" + output);
        // 1 s of voice every 20 s, 1 s windows every 0.5 s: at least 2 windows per burst
        assertTrue(output.contains("RESULT 16000:1:60 duration=60.000 windows="), output);
        assertTrue(output.contains("RESULT 16000:1:600 duration=600.000 windows="), output);
        assertTrue(output.contains("RESULT 44100:2:300 duration=300.000 windows="), output);
        output.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> {
            int windows = Integer.parseInt(l.replaceAll(".*windows=(\\d+).*", "$1"));
            double seconds = Double.parseDouble(l.replaceAll(".*duration=([0-9.]+).*", "$1"));
            assertTrue(windows >= 2 * seconds / 20, l);
            assertTrue(l.endsWith("speech=true"), l);
        });
    }
}
