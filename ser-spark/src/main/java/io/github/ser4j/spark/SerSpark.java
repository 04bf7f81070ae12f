package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * Speech emotion recognition over audio archives on Apache Spark.
 *
 * <pre>{@code
 * try (SerSparkResult r = SerSpark.analyze(spark, "s3a://calls/2026/", SerSparkOptions.defaults())) {
 *     r.files().groupBy("label").count().show();
 *     r.segments().write().parquet("s3a://out/segments");
 * }
 * }</pre>
 *
 * <p>Input comes through Spark's {@code binaryFile} source. The driver reads the model (a card and its model file, or
 * the default model of {@code ser-model-default}), loads it once to check it, and broadcasts its bytes; each executor
 * JVM checks their SHA-256, loads one recogniser and shares it across its task threads, with ONNX Runtime on one
 * intra-op thread. A file that cannot be decoded becomes a row with {@code ok = false}, never a failed job. The
 * results of a file depend only on its bytes and the model, whatever the partitioning.
 *
 * <p>Thread-safety: the methods are stateless; call them from the driver as Spark allows.
 */
public final class SerSpark {
    /** Name of the Parquet folder of the {@code files} table under {@link #run}'s output. */
    public static final String FILES = "files";
    /** Name of the Parquet folder of the {@code segments} table under {@link #run}'s output. */
    public static final String SEGMENTS = "segments";
    private static final String BATCH = "batch=";

    private SerSpark() {
    }

    /**
     * Analyses every file under {@code input} that matches the options' glob. An input path that does not exist
     * fails with Spark's {@code AnalysisException} ({@code PATH_NOT_FOUND}), which Scala throws undeclared.
     *
     * @param spark   the session
     * @param input   a file, folder or glob in any file system Spark reads ({@code file:}, {@code hdfs:}, {@code s3a:}…)
     * @param options model, file filter and windowing
     * @return the {@code files} and {@code segments} tables, lazily computed and persisted on first use
     * @throws ModelException if the model cannot be read or loaded on the driver
     */
    public static SerSparkResult analyze(SparkSession spark, String input, SerSparkOptions options) {
        Objects.requireNonNull(input, "input");
        return analyze(spark, Model.load(spark, options), reader(spark, options).load(input), options);
    }

    /**
     * Analyses {@code input} and writes the tables as Parquet to {@code output/files} and {@code output/segments}, in
     * batches of {@link SerSparkOptions#batchFiles()} files sorted by path. Each batch is committed as its own
     * sub-folder ({@code batch=000001}, read back as an integer column {@code batch}), segments first and files last,
     * so a run killed mid-way loses at most the batch in flight. Without {@link SerSparkOptions#resume()} both folders
     * are replaced; with it, incomplete batches are deleted and files already in {@code output/files} with the same
     * path, size and modification time are skipped (a changed file is analysed again and appears in a later batch
     * too).
     *
     * @param spark   the session
     * @param input   a file, folder or glob
     * @param output  a folder in any file system Spark writes
     * @param options model, file filter, windowing, batch size and resume
     * @return counts and timings of this run
     * @throws ModelException       if the model cannot be read or loaded on the driver
     * @throws UncheckedIOException if the output folder cannot be listed or cleaned
     */
    public static RunSummary run(SparkSession spark, String input, String output, SerSparkOptions options) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        long t0 = System.nanoTime();
        Model model = Model.load(spark, options);
        List<Row> listing = reader(spark, options).load(input)
                .select("path", "length", "modificationTime").orderBy("path").collectAsList();
        Path filesDir = new Path(output, FILES);
        Path segmentsDir = new Path(output, SEGMENTS);
        int batch;
        Set<String> done = new HashSet<>();
        try {
            FileSystem fs = filesDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (options.resume()) {
                batch = cleanIncompleteBatches(fs, filesDir, segmentsDir);
                if (batch > 0) {
                    for (Row r : spark.read().parquet(filesDir.toString())
                            .select("path", "size", "modification_time").collectAsList()) {
                        done.add(key(r.getString(0), r.getLong(1), r.getTimestamp(2)));
                    }
                }
            } else {
                fs.delete(filesDir, true);
                fs.delete(segmentsDir, true);
                batch = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the output " + output + ": " + e.getMessage(), e);
        }
        List<String> todo = new ArrayList<>();
        for (Row r : listing) {
            if (!done.contains(key(r.getString(0), r.getLong(1), r.getTimestamp(2)))) {
                todo.add(r.getString(0));
            }
        }
        long ok = 0;
        long failed = 0;
        double audio = 0;
        double speech = 0;
        int batches = 0;
        Map<String, Long> labels = new HashMap<>();
        for (int from = 0; from < todo.size(); from += options.batchFiles()) {
            List<String> paths = todo.subList(from, Math.min(todo.size(), from + options.batchFiles()));
            String name = BATCH + String.format(Locale.ROOT, "%06d", ++batch);
            Dataset<Row> files = reader(spark, options).load(paths.stream().map(SerSpark::escapeGlob)
                    .toArray(String[]::new));
            try (SerSparkResult result = analyze(spark, model, files, options)) {
                result.segments().write().mode(SaveMode.Overwrite).parquet(new Path(segmentsDir, name).toString());
                result.files().write().mode(SaveMode.Overwrite).parquet(new Path(filesDir, name).toString());
                for (Row r : result.combined().select("ok", "label", "duration_s", "speech_s").collectAsList()) {
                    if (r.getBoolean(0)) {
                        ok++;
                        labels.merge(r.getString(1), 1L, Long::sum);
                        audio += r.getDouble(2);
                        speech += r.getDouble(3);
                    } else {
                        failed++;
                    }
                }
            }
            batches++;
        }
        return new RunSummary(listing.size(), listing.size() - todo.size(), ok, failed, batches, audio, speech,
                labels, (System.nanoTime() - t0) / 1e9);
    }

    private static SerSparkResult analyze(SparkSession spark, Model model, Dataset<Row> binary,
                                          SerSparkOptions options) {
        AnalyseFiles fn = new AnalyseFiles(model.bundle, model.meta, options);
        var encoder = Encoders.row(Schemas.combined(model.meta));
        // files over the limit are listed without their bytes (binaryFile reads content only when selected)
        Dataset<Row> within = binary.filter(col("length").leq(options.maxFileBytes())).mapPartitions(fn, encoder);
        Dataset<Row> over = binary.filter(col("length").gt(options.maxFileBytes()))
                .select("path", "modificationTime", "length").mapPartitions(fn, encoder);
        Dataset<Row> combined = within.union(over).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> files = combined.drop(Schemas.SEGMENTS).orderBy("path");
        Dataset<Row> segments = combined.select(col("path"), explode(col(Schemas.SEGMENTS)).as("s"))
                .select("path", "s.*").orderBy("path", "start_s");
        return new SerSparkResult(combined, files, segments, model.meta.labels());
    }

    private static DataFrameReader reader(SparkSession spark, SerSparkOptions options) {
        DataFrameReader reader = spark.read().format("binaryFile")
                .option("recursiveFileLookup", String.valueOf(options.recursive()));
        options.pathGlobFilter().ifPresent(glob -> reader.option("pathGlobFilter", glob));
        return reader;
    }

    /** {@return the next batch number; deletes batch folders without a committed files table} */
    private static int cleanIncompleteBatches(FileSystem fs, Path filesDir, Path segmentsDir) throws IOException {
        Set<String> complete = new TreeSet<>();
        for (FileStatus s : batches(fs, filesDir)) {
            if (fs.exists(new Path(s.getPath(), "_SUCCESS"))) {
                complete.add(s.getPath().getName());
            } else {
                fs.delete(s.getPath(), true);
            }
        }
        for (FileStatus s : batches(fs, segmentsDir)) {
            if (!complete.contains(s.getPath().getName())) {
                fs.delete(s.getPath(), true);
            }
        }
        int max = 0;
        for (String name : complete) {
            try {
                max = Math.max(max, Integer.parseInt(name.substring(BATCH.length())));
            } catch (NumberFormatException e) {
                throw new IOException("unexpected folder " + name + " in " + filesDir, e);
            }
        }
        return max;
    }

    private static List<FileStatus> batches(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> result = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isDirectory() && s.getPath().getName().startsWith(BATCH)) {
                    result.add(s);
                }
            }
        }
        return result;
    }

    private static String key(String path, long size, Timestamp modified) {
        return path + '\u0000' + size + '\u0000' + (modified == null ? "" : modified.getTime());
    }

    /** Escapes Hadoop glob characters, so that a listed path loads exactly that file. */
    static String escapeGlob(String path) {
        StringBuilder s = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if ("\\{}[]*?".indexOf(c) >= 0) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }

    /** The model as the driver prepared it: broadcast bytes and what loading them showed. */
    private static final class Model {
        final Broadcast<ModelBundle> bundle;
        final ModelMeta meta;

        private Model(Broadcast<ModelBundle> bundle, ModelMeta meta) {
            this.bundle = bundle;
            this.meta = meta;
        }

        static Model load(SparkSession spark, SerSparkOptions options) {
            Objects.requireNonNull(spark, "spark");
            Objects.requireNonNull(options, "options");
            ModelBundle bundle = options.modelCard().map(ModelBundle::fromCard).orElseGet(ModelBundle::defaultModel);
            // load once on the driver: a bad model fails here, with its own message, before any task runs
            EmotionRecognizer recognizer = ExecutorRecognizers.get(bundle);
            ModelMeta meta = ModelMeta.of(recognizer.model(), bundle.modelSha256());
            meta.probabilityColumns();
            return new Model(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bundle), meta);
        }
    }
}
