package io.github.ser4j.dsp.internal;

/**
 * Turns one frame of samples into one column of features. Implementations hold scratch buffers: not thread-safe, and
 * {@link #process} must not allocate. Not API.
 */
public interface FrameProcessor {

    /** {@return number of features per frame} */
    int outputSize();

    /**
     * @param src    holds the frame's samples at {@code [offset, offset + frame length)}; not modified
     * @param offset first sample of the frame
     * @param out    receives {@link #outputSize()} values
     */
    void process(float[] src, int offset, float[] out);
}
