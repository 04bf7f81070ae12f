package io.github.ser4j.audio.javasound;

/**
 * The file format around the samples, as recognised from the file's first bytes (never from its name).
 *
 * <p>Immutable and thread-safe.
 */
public enum AudioContainer {
    /** RIFF/WAVE, including RF64 and BW64 for files beyond 4 GiB ({@code RIFF....WAVE}). */
    WAV,
    /** Audio Interchange File Format ({@code FORM....AIFF}). */
    AIFF,
    /** AIFF-C, the compressed-or-not variant ({@code FORM....AIFC}). */
    AIFC,
    /** Sun/NeXT audio ({@code .snd}). */
    AU,
    /** Free Lossless Audio Codec, native stream ({@code fLaC}). */
    FLAC,
    /** A format read by a {@code javax.sound.sampled} service provider on the class path (e.g. an MP3 plug-in). */
    OTHER
}
