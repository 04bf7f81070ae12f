package io.github.ser4j.api;

/**
 * A capture device is missing, refused the requested format, or failed while recording (for example
 * it was unplugged).
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class AudioDeviceException extends AudioException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and on which input */
    public AudioDeviceException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and on which input
     * @param cause   the underlying failure
     */
    public AudioDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
