package io.github.ser4j.examples.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands the paths of a command line into audio files: a file is taken as given (whatever its name; the decoder
 * recognises the format from its bytes), a folder is walked recursively for files with an audio extension, in sorted
 * order. Stateless and thread-safe.
 */
public final class InputFiles {
    /** Extensions picked up inside folders (lower case, without the dot). */
    public static final Set<String> AUDIO_EXTENSIONS = Set.of("wav", "wave", "flac", "aif", "aiff", "aifc", "au",
            "snd", "mp3", "ogg", "oga", "opus", "m4a", "mp4", "aac", "webm", "mka", "wma", "amr", "caf");

    private InputFiles() {
    }

    /**
     * @param paths files and folders
     * @return the files, in argument order, each folder's files sorted; a path that does not exist, and a dangling
     * symbolic link with an audio name inside a folder, is kept (its analysis then fails and is reported like any
     * other unreadable file)
     * @throws UncheckedIOException if a folder cannot be walked
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    // a dangling link is kept, so that its analysis fails and says so, instead of vanishing
                    walk.filter(f -> Files.isRegularFile(f) || Files.isSymbolicLink(f) && !Files.exists(f))
                            .filter(InputFiles::isAudioName).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list the folder " + p + ": " + e.getMessage(), e);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /**
     * @param p a path
     * @return whether its name ends with one of {@link #AUDIO_EXTENSIONS}
     */
    public static boolean isAudioName(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && AUDIO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
