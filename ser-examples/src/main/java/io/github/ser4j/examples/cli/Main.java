package io.github.ser4j.examples.cli;

import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of {@code ser.jar}: {@code java -jar ser.jar <command> [options]}. See {@link SerCommand} for the
 * commands and {@link ExitCodes} for what the exit status means.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs a command and exits the JVM with its exit code (except for {@code serve} and {@code live}, which return
     * only when stopped).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Results get the real standard output to themselves, written straight to its file descriptor (a PrintStream
        // would hide write errors); what a library prints to System.out (jFLAC's debug lines) is dropped, unless
        // SER_DEBUG is set, when it goes to standard error. Logging (SLF4J, warnings only) stays on standard error.
        PrintStream realErr = System.err;
        System.setOut(System.getenv("SER_DEBUG") != null ? realErr
                : new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(realErr, StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        err.flush();
        System.exit(code);
    }

    /**
     * Runs a command without exiting the JVM, for tests and embedding. Output that could not be written (a full
     * disk, a closed pipe: {@link PrintWriter#checkError()}) makes the command fail with {@link ExitCodes#IO} and
     * one line on {@code err}, never a silent success.
     *
     * @param out  where results go
     * @param err  where errors, warnings and progress go
     * @param args the command line
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine(out, err).execute(args);
        if (out.checkError() && code != ExitCodes.IO) {
            err.println("ser: error: " + WRITE_FAILED);
            err.flush();
            return ExitCodes.IO;
        }
        return code;
    }

    /** What a command says when its results cannot be written. */
    static final String WRITE_FAILED = "cannot write the results to standard output (disk full or pipe closed?); "
            + "the output is incomplete";

    /**
     * @param out where results go
     * @param err where errors, warnings and progress go
     * @return the configured command line of {@link SerCommand}
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new SerCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler((e, failed, parseResult) -> {
            PrintWriter w = failed.getErr();
            w.println(failed.getCommandSpec().qualifiedName() + ": error: " + describe(e));
            if (System.getenv("SER_DEBUG") != null) {
                e.printStackTrace(w);
            } else if (ExitCodes.of(e) == ExitCodes.INTERNAL) {
                w.println("(this is a bug; run again with the environment variable SER_DEBUG=1 for the stack trace)");
            }
            w.flush();
            return ExitCodes.of(e);
        });
        return cmd;
    }

    /**
     * @param e a failure
     * @return its message, or its type when it has none
     */
    static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "file already exists: " + f.getFile();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof io.github.ser4j.api.SerException || e instanceof java.io.IOException
                || e instanceof IllegalArgumentException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
