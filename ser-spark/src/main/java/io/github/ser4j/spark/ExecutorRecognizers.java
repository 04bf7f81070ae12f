package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One recogniser per model per JVM, shared by every task thread of an executor (an {@link EmotionRecognizer} is
 * thread-safe and holds the model once). ONNX Runtime runs with one intra-op and one inter-op thread: the parallelism
 * is Spark's, one task per executor core. The recognisers live as long as the JVM (an executor's life). Thread-safe.
 */
final class ExecutorRecognizers {
    private static final ConcurrentHashMap<String, EmotionRecognizer> RECOGNIZERS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    /** ONNX Runtime options of the shared recogniser: one thread inside the model, the cores go to Spark's tasks. */
    static final RecognizerOptions OPTIONS = RecognizerOptions.builder().intraOpThreads(1).interOpThreads(1).build();

    private ExecutorRecognizers() {
    }

    /**
     * @param bundle the broadcast model
     * @return this JVM's recogniser for it, loaded on first use
     * @throws ModelException if the model cannot be loaded (the same on every executor, so the job fails fast)
     */
    static EmotionRecognizer get(ModelBundle bundle) {
        return RECOGNIZERS.computeIfAbsent(bundle.modelSha256() + "/" + bundle.source(), k -> load(bundle));
    }

    /** {@return how many recognisers this JVM has loaded (for tests and logs)} */
    static int loads() {
        return LOADS.get();
    }

    private static EmotionRecognizer load(ModelBundle bundle) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ser4j-spark-model-");
            EmotionRecognizer recognizer = EmotionRecognizer.create(bundle.materialise(dir), OPTIONS);
            LOADS.incrementAndGet();
            return recognizer;
        } catch (IOException e) {
            throw new ModelException("cannot write the model " + bundle.source() + " to a temporary folder: " + e, e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir); // the model is in memory now; the copy is not needed
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
