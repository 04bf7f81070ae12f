package io.github.ser4j.examples.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@code ser analyze --output FILE --resume} compares to tell whether a file was already analysed: its size and
 * last modification time, as the file system gives them. Immutable and thread-safe.
 *
 * @param size  bytes
 * @param mtime last modification time
 */
public record FileStamp(long size, Instant mtime) {
    /** @throws IllegalArgumentException if the size is negative */
    public FileStamp {
        Objects.requireNonNull(mtime, "mtime");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }

    /**
     * @param file a file
     * @return its size and modification time, or null if they cannot be read (a missing file: it is analysed, and
     * its error row carries no stamp, so that a later resume tries it again)
     */
    public static FileStamp of(Path file) {
        try {
            return new FileStamp(Files.size(file), Files.getLastModifiedTime(file).toInstant());
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
