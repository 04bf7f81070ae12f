package io.github.ser4j.api.testing;

import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.SegmentStream;

import java.util.Iterator;
import java.util.List;

/** Segment streams for test doubles that compute their whole timeline up front. */
public final class SegmentStreams {
    private SegmentStreams() {
    }

    /**
     * {@return a stream that yields {@code segments} in list order, reports {@code positionSeconds} throughout and
     * whose {@code close()} does nothing (the double has closed its source already)}
     *
     * @param segments        the timeline; not copied, so not to be changed while the stream is read
     * @param positionSeconds the audio consumed, usually the whole source's length
     */
    public static SegmentStream of(List<EmotionSegment> segments, double positionSeconds) {
        Iterator<EmotionSegment> it = segments.iterator();
        return new SegmentStream() {
            @Override
            public double positionSeconds() {
                return positionSeconds;
            }

            @Override
            public void close() {
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public EmotionSegment next() {
                return it.next();
            }
        };
    }
}
