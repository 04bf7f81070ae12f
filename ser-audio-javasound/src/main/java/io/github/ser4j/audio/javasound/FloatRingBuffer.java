package io.github.ser4j.audio.javasound;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer, single-consumer ring of floats between a capture thread and its reader, with a
 * drop-oldest policy: the producer never blocks, never waits for the consumer and never allocates; when the consumer
 * falls more than {@link #capacity()} samples behind, the oldest unread samples are overwritten and counted in
 * {@link #droppedSamples()}. Memory is fixed at construction.
 *
 * <p>Lock-free: the producer announces the slots it is about to overwrite ({@code writeClaim}) before writing and
 * publishes them ({@code writePos}) after; the consumer copies, then checks the claim and discards (and counts) any
 * part of its copy the producer may have overwritten meanwhile, in the manner of a sequence lock. Every sample
 * written is either delivered exactly once, in order, or counted as dropped.
 *
 * <p>Thread-safety: one producer thread may call {@link #write}; one consumer thread may call {@link #read}; any
 * thread may call {@link #close()}, {@link #droppedSamples()}, {@link #available()}.
 */
final class FloatRingBuffer {
    private final float[] data;
    private final int mask;
    private volatile long writeClaim;
    private volatile long writePos;
    private volatile long readPos;
    private volatile long consumerDropped;
    private volatile long producerDropped;
    private volatile boolean closed;
    private volatile Thread waiter;

    /** @param minCapacity samples to hold at least; rounded up to a power of two, at most 2^30 */
    FloatRingBuffer(int minCapacity) {
        if (minCapacity < 1 || minCapacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity must be 1 to 2^30 samples, got " + minCapacity);
        }
        int capacity = Integer.highestOneBit(minCapacity);
        if (capacity < minCapacity) {
            capacity <<= 1;
        }
        this.data = new float[capacity];
        this.mask = capacity - 1;
    }

    /** {@return the number of samples the ring holds} */
    int capacity() {
        return data.length;
    }

    /**
     * Appends samples, overwriting the oldest unread ones if the ring is full. Never blocks. Producer thread only.
     *
     * @param src samples; not modified
     * @param off index of the first
     * @param len how many
     */
    void write(float[] src, int off, int len) {
        if (len > data.length) {
            // only the newest capacity samples can ever be read
            producerDropped += len - data.length;
            off += len - data.length;
            len = data.length;
        }
        long w = writePos;
        writeClaim = w + len;
        VarHandle.storeStoreFence(); // the claim is visible before any slot is overwritten
        int start = (int) (w & mask);
        int first = Math.min(len, data.length - start);
        System.arraycopy(src, off, data, start, first);
        System.arraycopy(src, off + first, data, 0, len - first);
        writePos = w + len;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Takes up to {@code len} samples, waiting at most {@code timeoutNanos} for the first. Consumer thread only.
     *
     * @return the number of samples copied, 0 if none arrived in time, or -1 once closed and drained
     */
    int read(float[] dst, int off, int len, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long r = readPos;
            long w = writePos;
            if (w - r > data.length) {
                consumerDropped += w - data.length - r;
                r = w - data.length;
            }
            if (w > r) {
                int n = (int) Math.min(len, w - r);
                int start = (int) (r & mask);
                int first = Math.min(n, data.length - start);
                System.arraycopy(data, start, dst, off, first);
                System.arraycopy(data, 0, dst, off + first, n - first);
                VarHandle.loadLoadFence(); // the copy is complete before the claim is checked
                long oldestIntact = writeClaim - data.length;
                if (oldestIntact > r) {
                    // the producer lapped us while we copied: the head of the copy may be torn
                    long torn = Math.min(n, oldestIntact - r);
                    consumerDropped += torn;
                    if (torn == n) {
                        readPos = r + n;
                        continue;
                    }
                    System.arraycopy(dst, off + (int) torn, dst, off, n - (int) torn);
                    n -= (int) torn;
                    r += torn;
                }
                readPos = r + n;
                return n;
            }
            if (closed) {
                if (writePos == w) {
                    return -1;
                }
                continue; // written just before closing: drain it
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            waiter = Thread.currentThread();
            if (writePos == w && !closed) {
                LockSupport.parkNanos(this, left);
            }
            waiter = null;
        }
    }

    /** Ends the stream: the consumer drains what is left, then gets -1. Idempotent, any thread. */
    void close() {
        closed = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** {@return samples written but never read: overwritten while unread, or still unread beyond the capacity} */
    long droppedSamples() {
        long overdue = writePos - data.length - readPos;
        return consumerDropped + producerDropped + Math.max(0, overdue);
    }

    /** {@return samples waiting to be read (at most the capacity)} */
    long available() {
        return Math.min(data.length, writePos - readPos);
    }

    /** {@return samples ever written} */
    long written() {
        return writePos + producerDropped;
    }
}
