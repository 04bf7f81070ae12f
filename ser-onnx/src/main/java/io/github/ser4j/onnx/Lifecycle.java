package io.github.ser4j.onnx;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The closed flag of a model's native resources and the read-write lock that lets {@link #close(Runnable)} wait for
 * the runs in flight: a run holds the read lock ({@link #enter()}), closing takes the write lock. Thread-safe.
 */
final class Lifecycle {
    private final String modelName;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** @param modelName the model's name, for the closed message */
    Lifecycle(String modelName) {
        this.modelName = modelName;
    }

    /** {@return whether {@link #close(Runnable)} has been called} */
    boolean isClosed() {
        return closed;
    }

    /** @throws IllegalStateException if closed */
    void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    /**
     * {@return the read lock, held: the caller unlocks it in a finally block}
     *
     * @throws IllegalStateException if closed (the lock then released)
     */
    Lock enter() {
        Lock r = lock.readLock();
        r.lock();
        if (closed) {
            r.unlock();
            throw closedException();
        }
        return r;
    }

    /** Runs {@code release} once, after the runs in flight have finished; later calls do nothing. */
    void close(Runnable release) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            w.unlock();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the recogniser of model " + modelName + " is closed");
    }
}
