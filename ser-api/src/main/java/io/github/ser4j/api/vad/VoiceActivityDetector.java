package io.github.ser4j.api.vad;

/**
 * Decides, frame by frame, whether a mono stream holds speech. The default implementation (an energy detector with an
 * adaptive noise floor and hangover) lives in {@code ser-dsp}; a model-based detector plugs in through
 * {@link io.github.ser4j.api.spi.VadProvider} or {@link io.github.ser4j.api.StreamOptions.Builder#vad(Factory)}.
 *
 * <p>Thread-safety: a detector keeps state across frames and is used by one stream at a time; it need not be
 * thread-safe. Implementations must not allocate per frame.
 */
public interface VoiceActivityDetector {

    /** {@return the sample rate, in Hz, of the frames this detector expects} */
    int sampleRate();

    /** {@return the number of samples in one decision frame; constant} */
    int frameSize();

    /**
     * Classifies the next frame of the stream.
     *
     * @param samples mono samples at {@link #sampleRate()}
     * @param offset  index of the frame's first sample; {@link #frameSize()} samples are read
     * @return true if the stream is in speech at this frame (including any hangover after speech)
     */
    boolean isSpeech(float[] samples, int offset);

    /** Forgets all state, as if newly created. */
    void reset();

    /** Makes a detector for a sample rate; one detector per stream. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param sampleRate the rate of the stream, in Hz
         * @return a new detector
         */
        VoiceActivityDetector create(int sampleRate);
    }
}
