package io.github.ser4j.bench.signal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the benchmark inputs for the peers outside the JVM (librosa): {@code speech_<rate>_<seconds>s.f32}, raw
 * little-endian float32, for 1, 3 and 30 s at 16, 44.1 and 48 kHz.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.ser4j.bench.signal.SignalDump <directory>}
 */
public final class SignalDump {
    /** Durations, in seconds, of every benchmark input. */
    public static final int[] SECONDS = {1, 3, 30};
    /** Sample rates of the benchmark inputs (16 kHz for features, the others for resampling). */
    public static final int[] RATES = {16_000, 22_050, 44_100, 48_000};

    private SignalDump() {
    }

    /**
     * @param args one argument: the output directory (created if missing)
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SignalDump <output-directory>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (int rate : RATES) {
            for (int seconds : SECONDS) {
                float[] y = SpeechLikeSignal.generate(seconds, rate);
                Path file = dir.resolve(fileName(rate, seconds));
                Files.write(file, toFloat32Le(y));
                System.out.printf(Locale.ROOT, "%s: %d samples%n", file, y.length);
            }
        }
    }

    /**
     * @param rate    sample rate in Hz
     * @param seconds duration
     * @return the file name the librosa script reads
     */
    public static String fileName(int rate, int seconds) {
        return "speech_" + rate + "_" + seconds + "s.f32";
    }

    /**
     * @param y samples
     * @return them as little-endian float32 bytes
     */
    public static byte[] toFloat32Le(float[] y) {
        ByteBuffer b = ByteBuffer.allocate(4 * y.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(y);
        return b.array();
    }
}
