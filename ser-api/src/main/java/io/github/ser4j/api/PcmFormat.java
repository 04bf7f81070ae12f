package io.github.ser4j.api;

/**
 * The format of the PCM an {@link AudioSource} delivers: 32-bit float samples, nominally in [-1, 1], interleaved by
 * channel.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sampleRate frames per second, 1 to {@value #MAX_SAMPLE_RATE}
 * @param channels   samples per frame, 1 to {@value #MAX_CHANNELS}
 */
public record PcmFormat(int sampleRate, int channels) {
    /** Highest sample rate accepted (768 kHz, the highest in common professional use). */
    public static final int MAX_SAMPLE_RATE = 768_000;
    /** Highest channel count accepted. */
    public static final int MAX_CHANNELS = 64;

    /** @throws IllegalArgumentException if the rate or channel count is outside the supported range */
    public PcmFormat {
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException(
                    "sampleRate must be 1.." + MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS + ", got " + channels);
        }
    }

    /**
     * @param sampleRate frames per second
     * @return a mono format at that rate
     */
    public static PcmFormat mono(int sampleRate) {
        return new PcmFormat(sampleRate, 1);
    }
}
