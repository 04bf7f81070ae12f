package io.github.ser4j.api;

/**
 * The inference backend failed while running a model on valid input (for example a native runtime error).
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class InferenceException extends SerException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public InferenceException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
