package io.github.ser4j.api;

/**
 * Root of every exception ser4j throws on purpose. Unchecked, so that a caller can handle the cases it cares about
 * ({@link AudioException}, {@link ModelException}, {@link InferenceException}) and let the rest propagate.
 *
 * <p>Messages always say what was wrong, on which input (file, field, argument) and, where it helps, what is
 * supported. Instances are immutable and thread-safe.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class SerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and on which input */
    public SerException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and on which input
     * @param cause   the underlying failure
     */
    public SerException(String message, Throwable cause) {
        super(message, cause);
    }
}
