package io.github.ser4j.api.testing;

import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One row of the bad-input matrix (docs/BAD_INPUT_MATRIX.md): an input, the exact exception type it must give and
 * fragments its message must contain. {@link #check()} runs it within 10 s and writes the row as Markdown to
 * {@code target/bad-input-matrix/}, from which the document's table is assembled.
 *
 * <p>Test support shared by the modules' bad-input tests through ser-api's test jar (not part of the API).
 *
 * @param id        row id in the document (e.g. {@code A07})
 * @param input     what the input is, for the document
 * @param expected  the exact exception class
 * @param fragments text the message must contain
 * @param action    the call that must fail
 */
public record BadInputMatrix(String id, String input, Class<? extends Throwable> expected, List<String> fragments,
                      Executable action) {
    /**
     * @param id        row id
     * @param input     description of the input
     * @param expected  the exact exception class
     * @param action    the call that must fail
     * @param fragments text the message must contain
     * @return the row
     */
    public static BadInputMatrix row(String id, String input, Class<? extends Throwable> expected, Executable action,
                              String... fragments) {
        return new BadInputMatrix(id, input, expected, List.of(fragments), action);
    }

    @Override
    public String toString() {
        return id + ": " + input;
    }

    /**
     * Runs the action (10 s at most) and asserts the exception type and message; records the row.
     *
     * @param testName the test that runs the row, for the document
     */
    public void check(String testName) {
        Throwable[] thrown = new Throwable[1];
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                action.execute();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, id + " answers promptly");
        if (thrown[0] == null) {
            fail(id + ": expected " + expected.getSimpleName() + " but nothing was thrown");
        }
        assertEquals(expected, thrown[0].getClass(), () -> id + ": " + thrown[0]);
        String message = String.valueOf(thrown[0].getMessage());
        for (String f : fragments) {
            assertTrue(message.contains(f), id + ": the message should mention '" + f + "': " + message);
        }
        record(testName, message);
    }

    private void record(String testName, String message) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "bad-input-matrix"));
            String line = "| " + id + " | " + input.replace("|", "\\|") + " | `" + expected.getSimpleName() + "` | "
                    + String.join(" / ", fragments.stream().map(f -> "`" + f.replace("|", "\\|") + "`").toList())
                    + " | `" + testName + "` |\n";
            Files.writeString(dir.resolve(id + ".md"), line, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(id + ".message.txt"), message, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
