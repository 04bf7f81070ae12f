package io.github.ser4j.api;

/**
 * A model or its card cannot be used: the card is malformed or disagrees with the model (the message names the
 * field and both values), the model file is missing, truncated, fails its SHA-256 check or escapes its card's
 * folder.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class ModelException extends SerException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the card field or file */
    public ModelException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the card field or file
     * @param cause   the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
