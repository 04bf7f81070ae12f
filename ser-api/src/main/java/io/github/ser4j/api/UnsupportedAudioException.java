package io.github.ser4j.api;

/**
 * The audio is well formed but of a kind ser4j cannot decode (container, encoding, bit depth,
 * channel count or sample rate); the message names the input and what is supported.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class UnsupportedAudioException extends AudioException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and on which input */
    public UnsupportedAudioException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and on which input
     * @param cause   the underlying failure
     */
    public UnsupportedAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
