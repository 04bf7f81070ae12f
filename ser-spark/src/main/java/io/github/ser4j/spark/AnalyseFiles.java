package io.github.ser4j.spark;

import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.util.Iterator;

/**
 * The task side: turns {@code binaryFile} rows (path, modificationTime, length, content) into combined rows (the
 * {@code files} columns and the file's segments), one per input row, lazily. Rows without content (files over the
 * size limit, read without their bytes) become error rows. Serializable; each task runs its own copy.
 */
final class AnalyseFiles implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelBundle> model;
    private final ModelMeta meta;
    private final SerSparkOptions options;
    private final long maxFileBytes;

    AnalyseFiles(Broadcast<ModelBundle> model, ModelMeta meta, SerSparkOptions options) {
        this.model = model;
        this.meta = meta;
        this.options = options;
        this.maxFileBytes = options.maxFileBytes();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Iterator<>() {
            private EmotionRecognizer recognizer;
            private StreamOptions streamOptions;

            @Override
            public boolean hasNext() {
                return input.hasNext();
            }

            @Override
            public Row next() {
                Row in = input.next();
                String path = in.getString(in.fieldIndex("path"));
                long size = in.getLong(in.fieldIndex("length"));
                Timestamp modified = in.getTimestamp(in.fieldIndex("modificationTime"));
                FileAnalysis.Outcome outcome;
                if (size > maxFileBytes || !hasContent(in)) {
                    outcome = FileAnalysis.Outcome.failure(new AudioLimitException("the file has " + size
                            + " bytes, more than the limit of " + maxFileBytes + " (SerSparkOptions.maxFileBytes)"));
                } else {
                    if (recognizer == null) {
                        recognizer = ExecutorRecognizers.get(model.value());
                        streamOptions = options.streamOptions();
                    }
                    outcome = FileAnalysis.analyse(recognizer, streamOptions, meta.windowSeconds(),
                            in.getAs("content"));
                }
                return Schemas.combinedRow(meta, path, size, modified, outcome);
            }
        };
    }

    private static boolean hasContent(Row in) {
        try {
            return !in.isNullAt(in.fieldIndex("content"));
        } catch (IllegalArgumentException e) {
            return false; // the column was not read
        }
    }
}
