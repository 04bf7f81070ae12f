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
 * One shared recogniser, 8 threads, 2 000 calls per model (a fixed-shape and a variable-length model): every result
 * bit-identical to the sequential one.
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int CALLS_PER_THREAD = 250;

    @Test
    void sharedInstanceGivesBitIdenticalResults() throws Exception {
        List<float[]> clips = new ArrayList<>();
        for (String c : Fixtures.CLIPS) {
            clips.add(Fixtures.clip(c));
        }
        for (String model : List.of("keras_cnn_logmel_nhwc", "torch_waveform_nct")) { // 2 x 2000 calls
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
                            for (int i = 0; i < CALLS_PER_THREAD; i++) {
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
                        total += f.get(120, TimeUnit.SECONDS);
                    }
                    assertEquals(THREADS * CALLS_PER_THREAD, total);
                } finally {
                    pool.shutdownNow();
                    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
                }
            }
        }
    }
}
