package io.github.ser4j.examples.eval;

import io.github.ser4j.examples.io.Csv;
import io.github.ser4j.examples.io.InputFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled file list: CSV with a header row holding at least the columns {@code path} and {@code label} (the
 * format of the shared {@code datasets/manifest.csv}); other columns are kept for filtering. Relative paths are
 * resolved against a root folder. A row with an empty label is kept with the label {@code ""} (such rows are
 * unlabelled data: callers skip and count them). Stateless and thread-safe.
 */
public final class Manifest {
    private Manifest() {
    }

    /**
     * One labelled file.
     *
     * @param line    line number in the manifest (1 = header)
     * @param path    the audio file, resolved against the root
     * @param label   the true label, trimmed; empty when the row has none
     * @param columns every cell of the row by column name, in the header's order
     */
    public record Row(int line, Path path, String label, Map<String, String> columns) {
        /** Copies the columns, keeping their order (error messages list them as the header has them). */
        public Row {
            Map<String, String> copy = new LinkedHashMap<>();
            columns.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k, "column"),
                    java.util.Objects.requireNonNull(v, "cell")));
            columns = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * @param manifest the CSV file (UTF-8, optional BOM, LF or CRLF; blank lines ignored)
     * @param root     folder that relative paths are resolved against
     * @return the rows, in file order
     * @throws InputFormatException if the file is not UTF-8 text, the header lacks {@code path} or {@code label}, or
     *                              a row has the wrong number of cells or an empty path
     * @throws IOException          if the file cannot be read
     */
    public static List<Row> read(Path manifest, Path root) throws IOException {
        try {
            return readUtf8(manifest, root);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputFormatException(manifest + ":" + firstUndecodableLine(manifest) + ": not UTF-8 text (bytes "
                    + "UTF-8 cannot decode; a Latin-1 or Windows-1252 file?): save the manifest as UTF-8");
        }
    }

    /** {@return the number of the first line holding bytes UTF-8 cannot decode} */
    private static String firstUndecodableLine(Path manifest) throws IOException {
        byte[] bytes = Files.readAllBytes(manifest);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        while (true) {
            java.nio.charset.CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                break;
            }
            if (r.isUnderflow()) {
                return "?";
            }
            out.clear();
        }
        int line = 1;
        for (int i = 0; i < in.position(); i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line + " (byte " + in.position() + ", 0x" + String.format("%02X", bytes[in.position()] & 0xFF) + ")";
    }

    private static List<Row> readUtf8(Path manifest, Path root) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new InputFormatException(manifest + " is empty; expected a CSV header with path,label");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> header = Csv.parse(headerLine.strip());
            for (int i = 0; i < header.size(); i++) {
                header.set(i, header.get(i).strip());
            }
            int pathCol = header.indexOf("path");
            int labelCol = header.indexOf("label");
            if (pathCol < 0 || labelCol < 0) {
                throw new InputFormatException(manifest + ":1: the header must have the columns 'path' and "
                        + "'label', got " + header);
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells;
                try {
                    cells = Csv.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new InputFormatException(manifest + ":" + number + ": " + e.getMessage());
                }
                if (cells.size() != header.size()) {
                    throw new InputFormatException(manifest + ":" + number + ": " + cells.size()
                            + " cells, the header has " + header.size());
                }
                String path = cells.get(pathCol).strip();
                String label = cells.get(labelCol).strip();
                if (path.isEmpty()) {
                    throw new InputFormatException(manifest + ":" + number + ": empty path");
                }
                Map<String, String> columns = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    columns.put(header.get(i), cells.get(i).strip());
                }
                rows.add(new Row(number, root.resolve(path), label, columns));
            }
        }
        return rows;
    }
}
