package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** close() while other threads are mid-inference: they finish or get IllegalStateException; nothing crashes. */
class CloseWhileRunningTest {

    @Test
    void closeWhileRunningIsSafe() throws Exception {
        float[] clip = Fixtures.clip("chirp");
        float[] longClip = new float[3 * 16000];
        for (int i = 0; i < longClip.length; i++) {
            longClip[i] = clip[i % clip.length];
        }
        for (int round = 0; round < 5; round++) {
            OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card("torch_cnn_mfcc_nchw"));
            int threads = 6;
            CountDownLatch started = new CountDownLatch(threads);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            if (id % 3 == 0) {
                                ser.recognizeAll(List.of(clip, clip, clip), 16000);
                            } else if (id % 3 == 1) { // a streaming session in flight
                                try (var s = ser.stream(AudioSource.of(longClip, 16000),
                                        StreamOptions.builder().vadEnabled(false).windowSeconds(0.5)
                                                .hopSeconds(0.25).build())) {
                                    while (s.hasNext()) {
                                        s.next();
                                    }
                                }
                            } else {
                                assertTrue(ser.recognize(clip, 16000).isSpeech());
                            }
                            ok.incrementAndGet();
                        } catch (IllegalStateException e) {
                            if (e.getMessage() == null || !e.getMessage().contains("closed")) {
                                unexpected.compareAndSet(null, e);
                            }
                            rejected.incrementAndGet();
                            return;
                        } catch (Throwable e) {
                            unexpected.compareAndSet(null, e);
                            return;
                        }
                    }
                }, "worker-" + t);
                workers.add(w);
                w.start();
            }
            started.await();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ok.get() < threads && System.nanoTime() < deadline) { // all workers are busy by now
                Thread.sleep(1);
            }
            Thread.sleep(5L * round);
            ser.close();
            for (Thread w : workers) {
                w.join(30_000);
                assertTrue(!w.isAlive(), w.getName() + " finished");
            }
            assertNull(unexpected.get(), () -> "unexpected " + unexpected.get());
            assertEquals(threads, rejected.get(), "every worker ends with IllegalStateException");
            assertTrue(ok.get() > 0);
            assertTrue(ser.isClosed());
            ser.close(); // idempotent
            IllegalStateException later = assertThrows(IllegalStateException.class, () -> ser.recognize(clip, 16000));
            assertTrue(later.getMessage().contains("closed"), later.getMessage());
            assertThrows(IllegalStateException.class, () -> ser.recognizeAll(List.of(clip), 16000));
            assertThrows(IllegalStateException.class, () -> ser.stream(AudioSource.of(clip, 16000),
                    StreamOptions.defaults()));
        }
    }

    @Test
    void closingMidStreamEndsTheStreamWithIllegalState() {
        OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"));
        float[] tone = new float[16000 * 4];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        var stream = ser.stream(AudioSource.of(tone, 16000), StreamOptions.builder().vadEnabled(false).build());
        assertTrue(stream.hasNext());
        stream.next();
        ser.close();
        assertThrows(IllegalStateException.class, () -> {
            while (stream.hasNext()) {
                stream.next();
            }
        });
        stream.close();
    }
}
