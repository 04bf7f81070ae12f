package io.github.ser4j.audio.javasound;

/**
 * What to do when a file holds less audio than its header declares: a recorder that crashed before finalising its
 * header, a copy cut short, or a streaming placeholder size.
 *
 * <p>Immutable and thread-safe.
 */
public enum TruncationPolicy {
    /**
     * The default: deliver the whole frames that are actually there, then end. A trailing partial frame is dropped.
     * {@link AudioFileInfo#lengthMismatch()} tells that it happened. Sizes that can only be placeholders (a WAV
     * {@code data} size of {@code 0xFFFFFFFF}, or of 0 with audio after it; an AU size of {@code 0xFFFFFFFF}) always
     * mean "to the end of the file".
     */
    READ_AVAILABLE,
    /**
     * Strict: a file holding less than its header declares is a {@link io.github.ser4j.api.CorruptAudioException}.
     * For files and byte arrays it is thrown when opening, before any sample is delivered; a stream can only find out
     * when it ends, so there the exception comes from the {@code read} that reaches the early end.
     */
    REJECT
}
