package io.github.ser4j.dsp.stream;

/**
 * Frame-by-frame feature extraction from audio arriving in chunks of any size (one sample to minutes).
 *
 * <p>The frames are exactly those the batch form ({@code FeatureExtractor.extract}) yields for the concatenation of
 * all pushed chunks: same count, same float values. A frame is delivered as soon as no later sample can change it;
 * with {@code center=true} the last frames (which need the right padding) are delivered by {@link #finish(FrameSink)}.
 * Buffers are allocated once: pushing and delivering frames allocates nothing.
 *
 * <p>Differences from the batch form: an input with no samples at all, or (with {@code center=false}) fewer samples
 * than one frame, yields no frames instead of an {@link IllegalArgumentException}.
 *
 * <p>Thread-safety: not thread-safe; use one stream per audio source, from one thread at a time.
 */
public interface FeatureStream {

    /** {@return the number of features per frame} */
    int featureCount();

    /**
     * Feeds samples and delivers the frames they complete.
     *
     * @param samples mono samples at the extractor's sample rate; not modified nor retained
     * @param offset  first sample to use
     * @param length  number of samples to use (0 is allowed)
     * @param sink    receives the completed frames
     * @throws IllegalArgumentException if a sample is NaN or infinite (nothing of this chunk is consumed then), or
     *                                  the range is outside the array
     * @throws IllegalStateException    after {@link #finish(FrameSink)} (until {@link #reset()})
     */
    void push(float[] samples, int offset, int length, FrameSink sink);

    /**
     * Same as {@code push(samples, 0, samples.length, sink)}.
     *
     * @param samples mono samples; not modified nor retained
     * @param sink    receives the completed frames
     */
    default void push(float[] samples, FrameSink sink) {
        push(samples, 0, samples.length, sink);
    }

    /**
     * Ends the signal: delivers the remaining frames (with the right padding when centred).
     *
     * @param sink receives the frames
     * @throws IllegalStateException if already finished
     */
    void finish(FrameSink sink);

    /** Forgets the signal, to start a new one; buffers are kept. */
    void reset();

    /** {@return the number of samples pushed since creation or {@link #reset()}} */
    long samplesPushed();

    /** {@return the number of frames delivered since creation or {@link #reset()}} */
    long framesEmitted();
}
