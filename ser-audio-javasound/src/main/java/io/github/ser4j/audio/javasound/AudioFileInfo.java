package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.PcmFormat;

import java.util.Objects;

/**
 * What an audio file is, read from its header without decoding the samples
 * ({@link JavaSoundAudio#probe(java.nio.file.Path)}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param container       the file format, recognised from the bytes
 * @param encoding        how the samples are stored
 * @param sampleRate      frames per second
 * @param channels        samples per frame
 * @param bitsPerSample   significant bits per sample (the valid bits of a WAVE_FORMAT_EXTENSIBLE file; 8 for G.711;
 *                        0 when the format does not say)
 * @param frameCount      frames the file holds, or -1 when the header does not say (a FLAC without a total, a
 *                        streaming AU, a format read through javax.sound). For uncompressed files it is what decoding
 *                        delivers, checked against the file's real length; for FLAC it is the STREAMINFO total, which
 *                        only decoding can confirm
 * @param durationSeconds {@code frameCount / sampleRate}, or {@link Double#NaN} when the frame count is unknown
 * @param lengthMismatch  true when the header declares more (or an unknown amount of) audio than the file holds and
 *                        the frame count is what is really there (see {@link TruncationPolicy#READ_AVAILABLE})
 */
public record AudioFileInfo(AudioContainer container, SampleEncoding encoding, int sampleRate, int channels,
                            int bitsPerSample, long frameCount, double durationSeconds, boolean lengthMismatch) {

    /**
     * @throws NullPointerException     if the container or encoding is null
     * @throws IllegalArgumentException if the rate or channel count is outside {@link PcmFormat}'s range, or the
     *                                  frame count is below -1
     */
    public AudioFileInfo {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(encoding, "encoding");
        new PcmFormat(sampleRate, channels); // validates both
        if (frameCount < -1) {
            throw new IllegalArgumentException("frameCount must be -1 (unknown) or more, got " + frameCount);
        }
    }

    /** {@return the format {@link io.github.ser4j.api.AudioSource#format()} of the decoded file has} */
    public PcmFormat format() {
        return new PcmFormat(sampleRate, channels);
    }

    static AudioFileInfo of(AudioContainer container, SampleEncoding encoding, int sampleRate, int channels,
                            int bits, long frames, boolean mismatch) {
        return new AudioFileInfo(container, encoding, sampleRate, channels, bits, frames,
                frames < 0 ? Double.NaN : (double) frames / sampleRate, mismatch);
    }
}
