package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file of the shared corpora ({@code ../shared/datasets/manifest.csv}) decodes, and its decoded duration matches
 * the manifest's {@code duration_s} to 1 ms (the manifest was written by other tools). Skipped when the folder is
 * absent. Decodes on all cores.
 */
class ManifestDecodeTest {

    @Test
    void everyManifestFileDecodesToItsDuration() throws Exception {
        Path shared = Path.of(System.getProperty("ser4j.shared.dir", "../../shared"));
        Path manifest = shared.resolve("datasets").resolve("manifest.csv");
        Assumptions.assumeTrue(Files.isRegularFile(manifest),
                "shared corpora not found at " + manifest.toAbsolutePath() + " (set -Dser4j.shared.dir): skipped");
        List<String> lines = Files.readAllLines(manifest);
        String[] header = lines.get(0).split(",", -1);
        int pathCol = indexOf(header, "path");
        int durCol = indexOf(header, "duration_s");
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong decodedFiles = new AtomicLong();
        AtomicLong totalFrames = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String[] row : rows) {
                futures.add(pool.submit(() -> {
                    Path file = shared.resolve("datasets").resolve(row[pathCol]);
                    double expected = Double.parseDouble(row[durCol]);
                    try (AudioSource src = JavaSoundAudio.open(file)) {
                        float[] buf = new float[8192 * src.format().channels()];
                        long frames = 0;
                        int n;
                        while ((n = src.read(buf, 0, 8192)) > 0) {
                            frames += n;
                        }
                        double seconds = (double) frames / src.format().sampleRate();
                        AudioFileInfo info = JavaSoundAudio.probe(file);
                        if (Math.abs(seconds - expected) > 0.001) {
                            failures.add(row[pathCol] + ": decoded " + seconds + " s, manifest says " + expected);
                        } else if (info.frameCount() != frames) {
                            failures.add(row[pathCol] + ": probe says " + info.frameCount() + " frames, decoded "
                                    + frames);
                        } else {
                            decodedFiles.incrementAndGet();
                            totalFrames.addAndGet(frames);
                        }
                    } catch (Exception e) {
                        failures.add(row[pathCol] + ": " + e);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "manifest: %d of %d files decoded, %.1f h of audio, in %.1f s on %d threads%n",
                decodedFiles.get(), rows.size(), totalFrames.get() / 16000.0 / 3600, elapsed,
                Runtime.getRuntime().availableProcessors());
        assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.stream().limit(5).toList());
        assertEquals(rows.size(), decodedFiles.get());
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("manifest has no column " + name);
    }
}
