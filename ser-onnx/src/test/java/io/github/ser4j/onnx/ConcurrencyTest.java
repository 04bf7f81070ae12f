package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionPrediction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One shared recogniser, 8 threads: 10 000 clips per thread (80 000 inferences) on the fixed-shape model and 250 per
 * thread on the variable-length one; every result bit-identical to the sequential run of the same clip (the truth
 * here is the single-threaded result, computed before any thread starts). The clips are the 1 s fixture clips, so
 * the 80 000 inferences take about 20-40 s on 2 cores.
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final java.util.Map<String, Integer> CALLS_PER_THREAD = java.util.Map.of("keras_cnn_logmel_nhwc", 10_000,
            "torch_waveform_nct", 250);

    @Test
    void sharedInstanceGivesBitIdenticalResults() throws Exception {
        List<float[]> clips = new ArrayList<>();
        for (String c : Fixtures.CLIPS) {
            clips.add(Fixtures.clip(c));
        }
        for (String model : List.of("keras_cnn_logmel_nhwc", "torch_waveform_nct")) {
            int calls = CALLS_PER_THREAD.get(model);
            long start = System.nanoTime();
            try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card(model))) {
                List<EmotionPrediction> sequential = new ArrayList<>();
                for (float[] c : clips) {
                    sequential.add(ser.recognize(c, Fixtures.SR));
                }
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<Integer>> futures = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        int offset = t;
                        futures.add(pool.submit((Callable<Integer>) () -> {
                            int checked = 0;
                            for (int i = 0; i < calls; i++) {
                                int k = (i + offset) % clips.size();
                                EmotionPrediction p;
                                if (i % 50 == 49) { // now and then a batch, which must not disturb the others
                                    p = ser.recognizeAll(List.of(clips.get(k), clips.get(k)), Fixtures.SR).get(1);
                                } else {
                                    p = ser.recognize(clips.get(k), Fixtures.SR);
                                }
                                assertEquals(sequential.get(k).isSpeech(), p.isSpeech());
                                if (i % 50 != 49) {
                                    assertArrayEquals(sequential.get(k).probabilities(), p.probabilities(),
                                            model + " clip " + k + " call " + i);
                                    assertEquals(sequential.get(k), p);
                                }
                                checked++;
                            }
                            return checked;
                        }));
                    }
                    int total = 0;
                    for (Future<Integer> f : futures) {
                        total += f.get(300, TimeUnit.SECONDS);
                    }
                    assertEquals(THREADS * calls, total);
                    System.out.printf(java.util.Locale.ROOT, "ConcurrencyTest %s: %d calls on %d threads in %.1f s, "
                            + "%d model runs%n", model, total, THREADS, (System.nanoTime() - start) / 1e9,
                            ser.modelRuns());
                } finally {
                    pool.shutdownNow();
                    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
                }
            }
        }
    }
}
