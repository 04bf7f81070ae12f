package io.github.ser4j.audio.javasound;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture ring: drop-oldest with counted drops, bounded memory, a producer that never blocks or allocates, and
 * every sample either delivered once, in order, or counted as dropped.
 */
class FloatRingBufferTest {

    @Test
    void stalledConsumerLosesTheOldestAndTheProducerNeverWaits() throws Exception {
        FloatRingBuffer ring = new FloatRingBuffer(1000);
        assertEquals(1024, ring.capacity());
        float[] chunk = new float[256];
        Thread producer = new Thread(() -> {
            int v = 0;
            for (int c = 0; c < 100; c++) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = v++;
                }
                ring.write(chunk, 0, chunk.length);
            }
        });
        producer.start();
        producer.join(TimeUnit.SECONDS.toMillis(5)); // nobody reads: a blocking producer would hang here
        assertTrue(!producer.isAlive(), "the producer blocked on a consumer that never read");
        assertEquals(25600 - 1024, ring.droppedSamples());
        assertEquals(1024, ring.available());
        assertEquals(1024, ring.capacity(), "memory does not grow");
        float[] out = new float[4096];
        int n = ring.read(out, 0, out.length, 0);
        assertEquals(1024, n);
        for (int i = 0; i < n; i++) {
            assertEquals(25600 - 1024 + i, out[i], "the newest samples survive, in order");
        }
        assertEquals(25600 - 1024, ring.droppedSamples());
        assertEquals(0, ring.read(out, 0, 10, TimeUnit.MILLISECONDS.toNanos(20)), "nothing left: times out");
        ring.close();
        assertEquals(-1, ring.read(out, 0, 10, 0));
    }

    @Test
    void oversizedWriteKeepsTheNewestAndCountsTheRest() {
        FloatRingBuffer ring = new FloatRingBuffer(16);
        float[] big = new float[40];
        for (int i = 0; i < big.length; i++) {
            big[i] = i;
        }
        ring.write(big, 0, big.length);
        float[] out = new float[40];
        assertEquals(16, ring.read(out, 0, 40, 0));
        assertEquals(24, out[0]);
        assertEquals(39, out[15]);
        assertEquals(24, ring.droppedSamples());
        assertEquals(40, ring.written());
    }

    @Test
    void slowConsumerUnderLoadGetsAnOrderedSubsequenceAndCountsTheRest() throws Exception {
        FloatRingBuffer ring = new FloatRingBuffer(4096);
        int total = 2_000_000; // floats hold integers exactly up to 2^24
        AtomicLong producerAllocated = new AtomicLong(-1);
        CountDownLatch done = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            float[] chunk = new float[160];
            int v = 0;
            // warm up the JIT, then measure allocation over the rest
            long before = 0;
            while (v < total) {
                if (v == 160 * 2000) {
                    before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                }
                int n = Math.min(chunk.length, total - v);
                for (int i = 0; i < n; i++) {
                    chunk[i] = v++;
                }
                ring.write(chunk, 0, n);
            }
            producerAllocated.set(mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
            ring.close();
            done.countDown();
        });
        producer.start();
        float[] out = new float[1000];
        long delivered = 0;
        float last = -1;
        int reads = 0;
        int n;
        while ((n = ring.read(out, 0, out.length, TimeUnit.SECONDS.toNanos(1))) >= 0) {
            for (int i = 0; i < n; i++) {
                assertTrue(out[i] > last, "out of order or repeated: " + out[i] + " after " + last);
                assertEquals(Math.rint(out[i]), out[i], "a torn sample: " + out[i]);
                last = out[i];
            }
            delivered += n;
            if (++reads % 50 == 0) {
                Thread.sleep(1); // a consumer that falls behind now and then
            }
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(total, delivered + ring.droppedSamples(), "every sample delivered once or counted as dropped");
        assertTrue(ring.droppedSamples() > 0, "the consumer was meant to fall behind");
        assertEquals(total - 1, last, "the newest sample is always delivered");
        assertTrue(producerAllocated.get() < 1024, "the producer allocated " + producerAllocated.get() + " bytes");
    }

    @Test
    void closeWakesABlockedReaderAfterItHasDrained() throws Exception {
        FloatRingBuffer ring = new FloatRingBuffer(64);
        ring.write(new float[] {1, 2, 3}, 0, 3);
        float[] out = new float[8];
        assertEquals(3, ring.read(out, 0, 8, 0));
        long[] result = new long[2];
        Thread reader = new Thread(() -> {
            long t0 = System.nanoTime();
            result[0] = ring.read(out, 0, 8, TimeUnit.SECONDS.toNanos(30));
            result[1] = System.nanoTime() - t0;
        });
        reader.start();
        Thread.sleep(100);
        ring.close();
        reader.join(2000);
        assertEquals(-1, result[0]);
        assertTrue(result[1] < TimeUnit.SECONDS.toNanos(2), "close did not wake the reader promptly");
    }
}
