package io.github.ser4j.examples.io;

import java.io.IOException;

/** An input file (a manifest) is readable but malformed; the message names the file and line. */
public final class InputFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, where, and what is expected */
    public InputFormatException(String message) {
        super(message);
    }
}
