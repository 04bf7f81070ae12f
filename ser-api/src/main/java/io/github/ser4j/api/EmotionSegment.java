package io.github.ser4j.api;

import java.util.Objects;

/**
 * A prediction for one stretch of a stream, with its place on the source's timeline.
 *
 * <p>Immutable and thread-safe.
 *
 * @param startSeconds where the stretch starts, in seconds from the start of the source
 * @param endSeconds   where it ends; greater than {@code startSeconds}
 * @param prediction   what the model says about it
 */
public record EmotionSegment(double startSeconds, double endSeconds, EmotionPrediction prediction) {
    /** @throws IllegalArgumentException if the times are not finite, negative or out of order */
    public EmotionSegment {
        Objects.requireNonNull(prediction, "prediction");
        if (!(startSeconds >= 0) || !(endSeconds > startSeconds) || Double.isInfinite(endSeconds)) {
            throw new IllegalArgumentException(
                    "segment times must satisfy 0 <= start < end < inf, got " + startSeconds + ".." + endSeconds);
        }
    }

    /** {@return {@code endSeconds - startSeconds}} */
    public double durationSeconds() {
        return endSeconds - startSeconds;
    }
}
