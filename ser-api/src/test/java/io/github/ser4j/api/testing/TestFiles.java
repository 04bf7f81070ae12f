package io.github.ser4j.api.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers shared by the modules' tests through ser-api's test jar (not part of the API). */
public final class TestFiles {
    private TestFiles() {
    }

    /**
     * Deletes a folder and everything below it, deepest first (best effort, as test clean-up).
     *
     * @param root the folder
     * @throws IOException if the tree cannot be listed
     */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
