package io.github.ser4j.audio.javasound;

/**
 * How the samples are stored in the file.
 *
 * <p>Immutable and thread-safe.
 */
public enum SampleEncoding {
    /** Two's-complement integers (8 to 32 bits). */
    PCM_SIGNED,
    /** Offset-binary integers (8-bit WAV, AIFC {@code raw }). */
    PCM_UNSIGNED,
    /** IEEE 754 floats, 32 or 64 bits. */
    PCM_FLOAT,
    /** G.711 mu-law, 8 bits. */
    ULAW,
    /** G.711 A-law, 8 bits. */
    ALAW,
    /** FLAC-compressed integers (lossless). */
    FLAC,
    /** Anything a {@code javax.sound.sampled} service provider decodes for us. */
    OTHER
}
