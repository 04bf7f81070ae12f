package io.github.ser4j.api;

/**
 * The audio claims to be of a supported kind but its bytes are damaged: truncated headers, chunk sizes
 * larger than the file, impossible field values. Thrown before any sample is returned, so no partial garbage
 * reaches the caller.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class CorruptAudioException extends AudioException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and on which input */
    public CorruptAudioException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and on which input
     * @param cause   the underlying failure
     */
    public CorruptAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
