package io.github.ser4j.api;

import io.github.ser4j.api.testing.SegmentStreams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test jar's {@link SegmentStreams}, which the test doubles of ser-examples and ser-spark return. */
class SegmentStreamsTest {
    private static final List<String> LABELS = List.of("calm", "angry");

    @Test
    void yieldsTheSegmentsInOrderThenEnds() {
        List<EmotionSegment> segments = List.of(
                new EmotionSegment(0, 1, EmotionPrediction.of(LABELS, new float[] {0.25f, 0.75f})),
                new EmotionSegment(1, 2, EmotionPrediction.noSpeech(LABELS)));
        SegmentStream s = SegmentStreams.of(segments, 2.5);
        List<EmotionSegment> read = new ArrayList<>();
        s.forEachRemaining(read::add);
        assertEquals(2, read.size());
        assertSame(segments.get(0), read.get(0));
        assertSame(segments.get(1), read.get(1));
        assertFalse(s.hasNext());
        assertThrows(NoSuchElementException.class, s::next);
        assertEquals(2.5, s.positionSeconds());
        s.close();
        s.close();
        assertFalse(s.hasNext());
    }

    @Test
    void anEmptyTimelineEndsAtOnce() {
        SegmentStream s = SegmentStreams.of(List.of(), 0.0);
        assertFalse(s.hasNext());
        assertThrows(NoSuchElementException.class, s::next);
        assertEquals(0.0, s.positionSeconds());
    }
}
