package io.github.ser4j.examples.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.examples.cli.OutputFormat;
import io.github.ser4j.examples.io.Csv;
import io.github.ser4j.examples.io.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The results file of {@code ser analyze --output FILE [--resume]}: JSON Lines or CSV rows carrying each file's size
 * and modification time ({@link FileStamp}), appended one input file at a time, each file's rows in one write, so
 * that a killed run leaves complete rows (and at worst a partial last line, which the next {@code --resume} drops).
 *
 * <p>Resuming reads the rows already there: a file whose last row has the same path (as given on the command line),
 * size and modification time is done; any other is analysed again and its new rows appended (the last row of a path
 * is the one that counts). Not thread-safe: one thread writes.
 */
public final class ResultFile implements Closeable {
    /** What a resumed file holds about one input: its stamp (null if none was recorded) and whether it succeeded. */
    private record Done(FileStamp stamp, boolean ok) {
    }

    private final Path path;
    private final FileChannel channel;
    private final ResultWriter writer;
    private final StringWriter buffer;
    private final Map<String, Done> done;
    private long rowsKept;
    private String dropped;

    private ResultFile(Path path, FileChannel channel, ResultWriter writer, StringWriter buffer,
                       Map<String, Done> done) {
        this.path = path;
        this.channel = channel;
        this.writer = writer;
        this.buffer = buffer;
        this.done = done;
    }

    /**
     * Creates a new results file, or opens an existing one to resume it.
     *
     * @param path     the file
     * @param resume   whether an existing file is continued; without it, an existing file is an error
     * @param format   json or csv
     * @param timeline whether results are timelines (CSV: several rows per file)
     * @param labels   the model's labels (CSV columns)
     * @return the open file, positioned at its end
     * @throws FileAlreadyExistsException if the file exists and {@code resume} is false
     * @throws IOException                if it cannot be read, written or holds other rows than this run writes
     */
    public static ResultFile open(Path path, boolean resume, OutputFormat format, boolean timeline,
                                  List<String> labels) throws IOException {
        if (format != OutputFormat.json && format != OutputFormat.csv) {
            throw new IllegalArgumentException("a results file is json or csv, not " + format);
        }
        StringWriter buffer = new StringWriter();
        ResultWriter writer = new ResultWriter(new PrintWriter(buffer), format, timeline, labels, true);
        Map<String, Done> done = new HashMap<>();
        FileChannel channel;
        if (!resume) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } else {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        ResultFile file = new ResultFile(path, channel, writer, buffer, done);
        try {
            boolean hasHeader = resume && file.readExisting(format, timeline);
            writer.header();
            String header = file.take();
            if (!hasHeader) {
                file.append(header);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the rows of a file being resumed, drops a trailing partial line, and positions the channel at the end.
     *
     * @return whether the file already starts with the CSV header (always false for JSON)
     */
    private boolean readExisting(OutputFormat format, boolean timeline) throws IOException {
        List<String> columns = writer.csvColumns();
        int fileCol = columns.indexOf("file");
        int okCol = columns.indexOf("ok");
        int sizeCol = columns.indexOf("size");
        int mtimeCol = columns.indexOf("mtime");
        boolean csv = format == OutputFormat.csv;
        boolean header = false;
        long offset = 0;
        long lineNumber = 0;
        String lastFile = null;
        long lastFileStart = 0;
        channel.position(0);
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            long start = offset;
            offset += line.size() + 1;
            lineNumber++;
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (csv && lineNumber == 1) {
                if (!Csv.parse(text).equals(columns)) {
                    throw new IOException(path + " has other columns than this run writes (another model, "
                            + "--timeline or --format, or not written by --output?): expected " + Csv.row(columns)
                            + ", found " + text);
                }
                header = true;
                continue;
            }
            String file;
            Done d;
            try {
                if (csv) {
                    List<String> cells = Csv.parse(text);
                    if (cells.size() != columns.size()) {
                        throw new IllegalArgumentException(cells.size() + " cells, not " + columns.size());
                    }
                    file = cells.get(fileCol);
                    d = new Done(stamp(cells.get(sizeCol), cells.get(mtimeCol)), "true".equals(cells.get(okCol)));
                } else {
                    JsonNode o = Json.MAPPER.readTree(text);
                    if (o == null || !o.isObject() || !o.path("file").isTextual()) {
                        throw new IllegalArgumentException("not a result object");
                    }
                    file = o.get("file").asText();
                    d = new Done(o.has("size") ? stamp(o.path("size").asText(), o.path("mtime").asText()) : null,
                            o.path("ok").asBoolean(false));
                }
            } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                throw new IOException(path + ":" + lineNumber + " is not a result row of --format " + format
                        + " (" + e.getMessage() + ")", e);
            }
            if (!file.equals(lastFile)) {
                lastFile = file;
                lastFileStart = start;
            }
            done.put(file, d);
            rowsKept++;
        }
        long keep = offset;
        if (line.size() > 0) {
            if (csv && timeline && lastFile != null) {
                // a cut timeline: the rows of the file it was writing before the cut may be incomplete too
                keep = lastFileStart;
                done.remove(lastFile);
            }
            dropped = (channel.size() - keep) + " bytes after the last complete row";
            channel.truncate(keep);
        }
        channel.position(channel.size());
        return header && keep > 0;
    }

    private static FileStamp stamp(String size, String mtime) {
        if (size.isEmpty() || mtime.isEmpty()) {
            return null;
        }
        return new FileStamp(Long.parseLong(size), Instant.parse(mtime));
    }

    /** {@return the partial last row dropped on opening (a killed run), described for people; null if none} */
    public String dropped() {
        return dropped;
    }

    /**
     * @param file  an input's name, as the rows give it
     * @param stamp its size and modification time now; null if they cannot be read
     * @return null if the file is not in this results file with that stamp; else whether its row says ok
     */
    public Boolean done(String file, FileStamp stamp) {
        Done d = done.get(file);
        return d != null && stamp != null && stamp.equals(d.stamp) ? d.ok : null;
    }

    /**
     * Appends one input's rows in one write and hands them to the operating system before returning.
     *
     * @param r     the result
     * @param stamp the input's size and modification time before it was analysed; null if unknown
     * @throws IOException if writing fails
     */
    public void write(AnalysisResult r, FileStamp stamp) throws IOException {
        writer.write(r, stamp);
        append(take());
    }

    private String take() {
        String s = buffer.toString();
        buffer.getBuffer().setLength(0);
        return s;
    }

    private void append(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** {@return the rows the file held when it was opened (after any partial row was dropped)} */
    public long rowsKept() {
        return rowsKept;
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "ResultFile[" + Objects.toString(path) + "]";
    }
}
