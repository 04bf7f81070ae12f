package io.github.ser4j.examples.cli;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The exit codes of every {@code ser} command. They are part of the tool's stable interface (scripts test them), so
 * values are never reused for another meaning.
 */
public final class ExitCodes {
    /** Everything succeeded. */
    public static final int OK = 0;
    /** The command ran, but at least one input (file, manifest row) failed; the failures are in the output. */
    public static final int SOME_FAILED = 1;
    /** The command line was invalid (unknown option, bad value, missing argument). */
    public static final int USAGE = 2;
    /** No usable model: the model card or file is unusable, or no inference backend is on the class path. */
    public static final int MODEL = 3;
    /** Input or output failed as a whole: unreadable manifest or audio, unwritable output, audio device failure. */
    public static final int IO = 4;
    /** The model failed while running (an inference error). */
    public static final int INFERENCE = 5;
    /** A bug: an unexpected exception. Please report it with the stack trace ({@code SER_DEBUG=1}). */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /**
     * @param e a failure that ended a command
     * @return the exit code that classifies it
     */
    public static int of(Throwable e) {
        if (e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof ModelException || e instanceof BackendNotFoundException) {
            return MODEL;
        }
        if (e instanceof AudioException || e instanceof IOException || e instanceof UncheckedIOException) {
            return IO;
        }
        if (e instanceof InferenceException) {
            return INFERENCE;
        }
        return INTERNAL;
    }
}
