package io.github.ser4j.examples.cli;

import picocli.CommandLine;

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
        // Results get the real standard output to themselves; anything a library prints to System.out (jFLAC does,
        // for some FLAC frames) goes to standard error, so it can never corrupt JSON or CSV results.
        java.io.PrintStream results = System.out;
        System.setOut(System.err);
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(results, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs a command without exiting the JVM, for tests and embedding.
     *
     * @param out  where results go
     * @param err  where errors, warnings and progress go
     * @param args the command line
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

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
