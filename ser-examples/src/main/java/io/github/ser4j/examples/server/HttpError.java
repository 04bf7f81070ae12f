package io.github.ser4j.examples.server;

/** A request failure with its HTTP status; the message goes to the client in a JSON error body. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    /** The request body was not read to its end: answer, then drop the connection rather than drain it. */
    final boolean closeConnection;

    HttpError(int status, String message) {
        this(status, message, false);
    }

    HttpError(int status, String message, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.closeConnection = closeConnection;
    }
}
