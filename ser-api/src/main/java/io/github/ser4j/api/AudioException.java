package io.github.ser4j.api;

/**
 * Audio could not be read: a file, stream or device failed. Subclasses say whether the audio is of a kind ser4j does
 * not support ({@link UnsupportedAudioException}), is damaged ({@link CorruptAudioException}) or a capture device
 * failed ({@link AudioDeviceException}). Plain I/O failures of the underlying stream are wrapped in this type.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class AudioException extends SerException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and on which input */
    public AudioException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and on which input
     * @param cause   the underlying failure
     */
    public AudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
