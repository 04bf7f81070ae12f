package io.github.ser4j.dsp.stream;

/**
 * Receives the frames of a {@link FeatureStream}, one call per frame, in order.
 *
 * <p>Called on the thread that calls {@link FeatureStream#push} or {@link FeatureStream#finish}.
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param frameIndex index of the frame (column) in the batch result of the whole signal, from 0
     * @param frame      the {@link FeatureStream#featureCount()} features of the frame; the array is reused for the
     *                   next frame, so copy it to keep it, and do not modify it
     */
    void accept(long frameIndex, float[] frame);
}
