package io.github.ser4j.dsp.vad;

/**
 * A stretch of speech found by a {@link SpeechSegmenter}, in samples from the start of the stream.
 *
 * <p>Immutable and thread-safe.
 *
 * @param startSample index of the first sample of speech
 * @param endSample   index one past the last sample of speech ({@code > startSample})
 * @param sampleRate  the stream's rate in Hz
 */
public record SpeechSegment(long startSample, long endSample, int sampleRate) {

    /** @throws IllegalArgumentException if the range is empty or negative or the rate is not positive */
    public SpeechSegment {
        if (startSample < 0 || endSample <= startSample) {
            throw new IllegalArgumentException("segment [" + startSample + ", " + endSample + ") is empty or negative");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
    }

    /** {@return the start in seconds from the start of the stream} */
    public double startSeconds() {
        return (double) startSample / sampleRate;
    }

    /** {@return the end in seconds from the start of the stream} */
    public double endSeconds() {
        return (double) endSample / sampleRate;
    }
}
