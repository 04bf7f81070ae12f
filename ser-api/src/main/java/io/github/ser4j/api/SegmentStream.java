package io.github.ser4j.api;

import java.util.Iterator;

/**
 * The timeline of a stream, one {@link EmotionSegment} at a time, in time order. {@link #hasNext()} blocks until the
 * next segment is ready or the source ends (or the configured silence stops it).
 *
 * <p>Thread-safety: iterate from one thread. {@link #close()} may be called from any thread; it closes the
 * underlying {@link AudioSource}, and iteration then ends.
 */
public interface SegmentStream extends Iterator<EmotionSegment>, AutoCloseable {

    /** {@return seconds of audio consumed so far} */
    double positionSeconds();

    /** Stops the stream and closes its source. Idempotent. */
    @Override
    void close();
}
