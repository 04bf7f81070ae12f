package io.github.ser4j.bench.soak;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.bench.signal.SpeechLikeSignal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Native-memory soak: one shared recogniser runs {@code --inferences} clip recognitions (single clips, and every
 * tenth call a batch of ten clips) and {@code --streams} streaming sessions over a longer clip, from
 * {@code --threads} threads, while the heap used after a full GC and the process RSS ({@code VmRSS} of
 * {@code /proc/self/status}) are sampled. ONNX Runtime allocates tensors and results off the Java heap, so an
 * unclosed {@code OnnxTensor} or {@code OrtSession.Result} shows as RSS that keeps growing while the heap stays flat.
 *
 * <p>Pass: RSS at the end is less than 5 % above RSS after warm-up (the first {@code --warmup} fraction of the
 * work, default 20 %), and the heap after GC grows by less than 16 MB. Exit code 0 on pass, 1 on fail. Samples are
 * written as CSV ({@code --csv}). Run with a small fixed heap, so that heap sizing does not move RSS:
 *
 * <pre>
 * mvn -B -pl benchmarks -am package -DskipTests
 * java -Xms256m -Xmx256m -cp benchmarks/target/benchmarks.jar io.github.ser4j.bench.soak.SoakHarness \
 *     --inferences 100000 --streams 2000 --threads 2 --csv target/soak.csv
 * </pre>
 *
 * Without {@code --card} it uses the embedded default model ({@link EmotionRecognizer#create()}).
 */
public final class SoakHarness {
    private SoakHarness() {
    }

    /** One sample of the run. */
    record Sample(long work, double seconds, long rssKb, long heapKb) {
    }

    public static void main(String[] args) throws Exception {
        long inferences = 100_000;
        long streams = 2_000;
        int threads = 2;
        double warmup = 0.2;
        Path csv = null;
        Path card = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--inferences" -> inferences = Long.parseLong(args[++i]);
                case "--streams" -> streams = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                case "--card" -> card = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: SoakHarness [--inferences N] [--streams N] [--threads N] "
                            + "[--warmup FRACTION] [--csv FILE] [--card CARD]");
                    System.exit(2);
                }
            }
        }
        System.exit(run(inferences, streams, threads, warmup, csv, card, System.out) ? 0 : 1);
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static long heapAfterGcKb(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed() / 1024;
    }

    /** {@return whether RSS and heap stayed flat after warm-up} */
    static boolean run(long inferences, long streams, int threads, double warmup, Path csv, Path card,
                       PrintStream out) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        float[][] clips = new float[8][];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = SpeechLikeSignal.generate(1.0 + 0.25 * i, 16000, SpeechLikeSignal.DEFAULT_SEED + i);
        }
        float[] longClip = SpeechLikeSignal.generate(12.0, 16000, SpeechLikeSignal.DEFAULT_SEED + 99);
        StreamOptions streamOptions = StreamOptions.builder().windowSeconds(3).hopSeconds(1.5).build();
        long total = inferences + streams;
        int blocks = 50;
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long segments = 0;
        try (EmotionRecognizer ser = card == null ? EmotionRecognizer.create() : EmotionRecognizer.create(card)) {
            samples.add(new Sample(0, 0, rssKb(), heapAfterGcKb(mem)));
            out.printf(Locale.ROOT, "soak: model %s %s, %d inferences + %d streams on %d threads%n",
                    ser.model().name(), ser.model().version(), inferences, streams, threads);
            for (int b = 0; b < blocks; b++) {
                long infFrom = inferences * b / blocks;
                long infTo = inferences * (b + 1) / blocks;
                long strFrom = streams * b / blocks;
                long strTo = streams * (b + 1) / blocks;
                long[] segs = new long[threads];
                Thread[] workers = new Thread[threads];
                Throwable[] failure = new Throwable[1];
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    workers[t] = new Thread(() -> {
                        try {
                            long share = (infTo - infFrom) / threads + (id == 0 ? (infTo - infFrom) % threads : 0);
                            long done = 0;
                            for (int call = 0; done < share; call++) {
                                if (call % 10 == 9 && share - done >= 10) { // every tenth call: a batch of ten
                                    ser.recognizeAll(List.of(clips[0], clips[1], clips[2], clips[3], clips[4],
                                            clips[5], clips[6], clips[7], clips[0], clips[1]), 16000);
                                    done += 10;
                                } else {
                                    ser.recognize(clips[(int) ((done + id) % clips.length)], 16000);
                                    done++;
                                }
                            }
                            for (long k = strFrom + id; k < strTo; k += threads) {
                                try (SegmentStream s = ser.stream(AudioSource.of(longClip, 16000), streamOptions)) {
                                    while (s.hasNext()) {
                                        s.next();
                                        segs[id]++;
                                    }
                                }
                            }
                        } catch (Throwable e) {
                            synchronized (failure) {
                                failure[0] = e;
                            }
                        }
                    }, "soak-" + t);
                    workers[t].start();
                }
                for (Thread w : workers) {
                    w.join();
                }
                if (failure[0] != null) {
                    throw new IllegalStateException("a soak worker failed", failure[0]);
                }
                for (long s : segs) {
                    segments += s;
                }
                Sample s = new Sample(infTo + strTo, (System.nanoTime() - start) / 1e9, rssKb(), heapAfterGcKb(mem));
                samples.add(s);
                out.printf(Locale.ROOT, "soak: %8d / %d  %7.1f s  RSS %7.1f MB  heap %6.1f MB%n", s.work(), total,
                        s.seconds(), s.rssKb() / 1024.0, s.heapKb() / 1024.0);
            }
        }
        Sample warm = samples.stream().filter(s -> s.work() >= warmup * total).findFirst().orElseThrow();
        Sample end = samples.get(samples.size() - 1);
        long maxRss = samples.stream().filter(s -> s.work() >= warm.work()).mapToLong(Sample::rssKb).max()
                .orElseThrow();
        double growth = 100.0 * (end.rssKb() - warm.rssKb()) / warm.rssKb();
        double maxGrowth = 100.0 * (maxRss - warm.rssKb()) / warm.rssKb();
        long heapGrowth = end.heapKb() - warm.heapKb();
        out.printf(Locale.ROOT, "soak: %d inferences and %d streams (%d segments) in %.1f s%n", inferences, streams,
                segments, end.seconds());
        out.printf(Locale.ROOT, "soak: RSS at start %.1f MB, after warm-up (%d) %.1f MB, max after %.1f MB, at the "
                + "end %.1f MB: growth after warm-up %+.2f %% (max %+.2f %%)%n", samples.get(0).rssKb() / 1024.0,
                warm.work(), warm.rssKb() / 1024.0, maxRss / 1024.0, end.rssKb() / 1024.0, growth, maxGrowth);
        out.printf(Locale.ROOT, "soak: heap after GC after warm-up %.1f MB, at the end %.1f MB%n",
                warm.heapKb() / 1024.0, end.heapKb() / 1024.0);
        if (csv != null) {
            StringBuilder b = new StringBuilder("work,seconds,rss_kb,heap_kb\n");
            for (Sample s : samples) {
                b.append(s.work()).append(',').append(String.format(Locale.ROOT, "%.2f", s.seconds())).append(',')
                        .append(s.rssKb()).append(',').append(s.heapKb()).append('\n');
            }
            if (csv.getParent() != null) {
                Files.createDirectories(csv.getParent());
            }
            Files.writeString(csv, b, StandardCharsets.UTF_8);
        }
        boolean pass = growth < 5 && heapGrowth < 16 * 1024;
        out.println("soak: " + (pass ? "PASS" : "FAIL") + " (RSS growth after warm-up < 5 %, heap growth < 16 MB)");
        return pass;
    }
}
