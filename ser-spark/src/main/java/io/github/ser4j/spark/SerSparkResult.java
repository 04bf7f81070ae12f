package io.github.ser4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Objects;

/**
 * The two tables of an analysis, computed once: {@link #files()} and {@link #segments()} derive from one persisted
 * dataset (one row per file, with its segments), so using both analyses each file once. Close it to unpersist.
 *
 * <p>Thread-safety: as Spark's {@code Dataset}s; {@link #close()} is idempotent.
 */
public final class SerSparkResult implements AutoCloseable {
    private final Dataset<Row> combined;
    private final Dataset<Row> files;
    private final Dataset<Row> segments;
    private final List<String> labels;

    SerSparkResult(Dataset<Row> combined, Dataset<Row> files, Dataset<Row> segments, List<String> labels) {
        this.combined = Objects.requireNonNull(combined);
        this.files = files;
        this.segments = segments;
        this.labels = List.copyOf(labels);
    }

    /**
     * One row per input file, ordered by path: {@code path} (string, as Spark lists it), {@code size} (bytes),
     * {@code modification_time}, {@code ok}, {@code error_type} and {@code error} (null when ok), {@code duration_s}
     * (seconds decoded), {@code speech_s} (seconds covered by speech windows), {@code windows} (speech windows),
     * {@code label} ({@code no_speech} without speech), {@code confidence}, one float {@code p_<label>} per model label
     * (see {@link #labels()}), {@code arousal} and {@code valence} (null when the model gives none), {@code model_name},
     * {@code model_version} and {@code model_sha256}. The file-level prediction is the whole-clip recognition for
     * files no longer than the model's window, and otherwise the speech-duration-weighted mean of the windows'
     * probabilities. A file that cannot be read has {@code ok = false} and null results.
     *
     * @return the {@code files} table
     */
    public Dataset<Row> files() {
        return files;
    }

    /**
     * One row per speech window, ordered by path and start: {@code path}, {@code start_s}, {@code end_s} (the speech
     * inside the window), {@code label}, {@code confidence}, the {@code p_<label>} columns, {@code arousal} and
     * {@code valence}.
     *
     * @return the {@code segments} table
     */
    public Dataset<Row> segments() {
        return segments;
    }

    /** {@return the analysed rows, one per file with its segments, unordered} */
    Dataset<Row> combined() {
        return combined;
    }

    /** {@return the model's labels, in the order of the {@code p_<label>} columns} */
    public List<String> labels() {
        return labels;
    }

    /** Unpersists the analysed rows; the datasets stay usable and recompute if used again. */
    @Override
    public void close() {
        combined.unpersist();
    }
}
