package io.github.ser4j.bench.soak;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.bench.signal.SpeechLikeSignal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hop-to-result latency of live streaming: a source that hands out {@code --chunk-ms} of audio per read, as a capture
 * device does, feeds {@link EmotionRecognizer#stream}; for every segment the harness takes the time from the return
 * of the read that delivered the audio completing it (the last read before the segment) to the moment the segment
 * is handed to the caller: the down-mix, resampling, voice activity, features and model run of that hop. Audio is
 * not paced in real time (every read returns at once), so each latency is pure processing on the calling thread;
 * in a live stream the audio waits in addition for the window to be filled, and for the resampler's block
 * (see {@code ResamplerStream}).
 *
 * <pre>
 * mvn -B -pl benchmarks -am package -DskipTests
 * taskset -c 0 java -cp benchmarks/target/benchmarks.jar io.github.ser4j.bench.soak.LiveLatencyHarness \
 *     --rate 44100 --chunk-ms 10 --seconds 600
 * </pre>
 *
 * Prints p50, p90, p99, p99.9 and the maximum, by wall clock and by the thread's CPU time, over the segments of the measured run (after a warm-up run of
 * {@code --warmup-seconds}), the card's window and hop, and how many segments were measured. Without {@code --card}
 * it uses the embedded default model.
 */
public final class LiveLatencyHarness {
    private LiveLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        int rate = 44100;
        double chunkMs = 10;
        double seconds = 600;
        double warmupSeconds = 120;
        Path card = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--chunk-ms" -> chunkMs = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++i]);
                case "--card" -> card = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: LiveLatencyHarness [--rate HZ] [--chunk-ms MS] [--seconds S] "
                            + "[--warmup-seconds S] [--card CARD]");
                    System.exit(2);
                }
            }
        }
        int chunk = Math.max(1, (int) Math.round(chunkMs / 1000 * rate));
        try (EmotionRecognizer ser = card == null ? EmotionRecognizer.create() : EmotionRecognizer.create(card)) {
            run(ser, SpeechLikeSignal.generate(warmupSeconds, rate), rate, chunk);
            long[][] both = run(ser, SpeechLikeSignal.generate(seconds, rate, SpeechLikeSignal.DEFAULT_SEED + 1), rate,
                    chunk);
            System.out.printf(Locale.ROOT, "live latency, %d Hz source, %d-frame reads (%.1f ms), window %s s, hop %s s,"
                            + " %d segments over %.0f s%n", rate, chunk, 1000.0 * chunk / rate,
                    ser.model().windowSeconds(), ser.model().hopSeconds(), both[0].length, seconds);
            for (int k = 0; k < 2; k++) {
                long[] ns = both[k];
                Arrays.sort(ns);
                System.out.printf(Locale.ROOT, "  %-16s p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                        k == 0 ? "wall clock:" : "thread CPU time:", pct(ns, 50), pct(ns, 90), pct(ns, 99),
                        pct(ns, 99.9), ns.length == 0 ? Double.NaN : ns[ns.length - 1] / 1e6);
            }
        }
    }

    /**
     * One stream over {@code y}; returns the latency of each segment in nanoseconds, wall clock and the calling
     * thread's CPU time (the latter leaves out time the thread waited for a core on a busy machine).
     */
    static long[][] run(EmotionRecognizer ser, float[] y, int rate, int chunk) {
        ChunkedSource source = new ChunkedSource(y, rate, chunk);
        long[] wall = new long[16];
        long[] cpu = new long[16];
        int n = 0;
        try (SegmentStream s = ser.stream(source, StreamOptions.defaults())) {
            while (s.hasNext()) {
                long now = System.nanoTime();
                long cpuNow = THREADS.getCurrentThreadCpuTime();
                EmotionSegment seg = s.next();
                if (seg == null) {
                    throw new IllegalStateException();
                }
                if (n == wall.length) {
                    wall = Arrays.copyOf(wall, 2 * n);
                    cpu = Arrays.copyOf(cpu, 2 * n);
                }
                wall[n] = now - source.lastRead;
                cpu[n++] = cpuNow - source.lastReadCpu;
            }
        }
        return new long[][] {Arrays.copyOf(wall, n), Arrays.copyOf(cpu, n)};
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** A mono source that returns at most {@code chunk} frames per read and records when each read returned. */
    static final class ChunkedSource implements AudioSource {
        private final float[] y;
        private final PcmFormat format;
        private final int chunk;
        private int pos;
        long lastRead;
        long lastReadCpu;

        ChunkedSource(float[] y, int rate, int chunk) {
            this.y = y;
            this.format = PcmFormat.mono(rate);
            this.chunk = chunk;
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int frames) {
            int n = Math.min(Math.min(frames, chunk), y.length - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(y, pos, buffer, offset, n);
            pos += n;
            lastReadCpu = THREADS.getCurrentThreadCpuTime();
            lastRead = System.nanoTime();
            return n;
        }

        @Override
        public void close() {
        }
    }
}
