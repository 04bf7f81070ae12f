package io.github.ser4j.examples.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is an interactive terminal. Stateless and thread-safe. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * Java 17 has no isatty for stderr alone: on Linux the answer comes from /proc/self/fd/2, elsewhere from
     * {@link System#console()} (true only when stdin and stdout are terminals too; a safe under-approximation).
     *
     * @return whether standard error is a terminal
     */
    public static boolean isStderrTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // Fall through to the portable check.
        }
        return System.console() != null;
    }
}
