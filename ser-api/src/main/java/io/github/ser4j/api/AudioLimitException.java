package io.github.ser4j.api;

/**
 * Audio is refused because decoding it would exceed a limit the caller set: more decoded samples (frames times
 * channels, at the file's own rate) or more seconds than allowed. A guard against inputs that are small when encoded
 * and huge when decoded (decompression bombs); the message names the input, what it declares or delivered, and the
 * limit.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class AudioLimitException extends AudioException {
    private static final long serialVersionUID = 1L;

    /** @param message what the input holds and which limit it exceeds */
    public AudioLimitException(String message) {
        super(message);
    }
}
