package io.github.ser4j.spark;

import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.ModelException;

import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The command behind {@code ser-spark/bin/ser-spark-local} and a {@code spark-submit} main class: analyses a folder
 * into Parquet ({@code OUTPUT/files}, {@code OUTPUT/segments}) and prints a summary.
 *
 * <pre>
 * ser-spark-local --input DIR --output DIR [--model CARD] [--threads N] [--glob GLOB] [--resume] [--batch-files N]
 * </pre>
 *
 * <p>Without a master set (no {@code spark-submit}, no {@code spark.master} property) it runs Spark embedded in local
 * mode with {@code --threads} cores (default: all). Exit codes follow the {@code ser} tool: 0 all files analysed, 1
 * some files failed (their rows say why), 2 bad command line, 3 unusable model, 4 input or output failure, 70 a bug.
 *
 * <p>Thread-safety: a command-line entry point; run one at a time per JVM (it creates and stops the Spark session).
 */
public final class LocalLauncher {
    static final String USAGE = "usage: ser-spark-local --input DIR --output DIR [--model CARD] [--threads N] "
            + "[--glob GLOB] [--resume] [--batch-files N]";

    private LocalLauncher() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command; for tests and embedding.
     *
     * @param args the command line
     * @param out  where the summary goes
     * @param err  where errors go
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String output = null;
        int threads = Runtime.getRuntime().availableProcessors();
        SerSparkOptions.Builder options = SerSparkOptions.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--input" -> input = value(args, ++i);
                    case "--output" -> output = value(args, ++i);
                    case "--model" -> options.modelCard(Path.of(value(args, ++i)));
                    case "--threads" -> threads = positive(args, ++i);
                    case "--glob" -> options.pathGlobFilter(value(args, ++i));
                    case "--batch-files" -> options.batchFiles(positive(args, ++i));
                    case "--resume" -> options.resume(true);
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (input == null || output == null) {
                throw new IllegalArgumentException("--input and --output are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("ser-spark-local: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("ser-spark")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.debug.maxToStringFields", "200");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[" + threads + "]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "localhost")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", String.valueOf(threads));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            RunSummary summary = SerSpark.run(spark, input, output, options.build());
            out.print(summary);
            out.printf(Locale.ROOT, "output: %s/%s and %s/%s (Parquet)%n", output, SerSpark.FILES, output,
                    SerSpark.SEGMENTS);
            return summary.failed() > 0 ? 1 : 0;
        } catch (ModelException | BackendNotFoundException e) {
            err.println("ser-spark-local: unusable model: " + e.getMessage());
            return 3;
        } catch (UncheckedIOException e) {
            err.println("ser-spark-local: " + e.getMessage());
            return 4;
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("org.apache.spark.sql.AnalysisException")) {
                err.println("ser-spark-local: " + e.getMessage());
                return 4;
            }
            err.println("ser-spark-local: unexpected failure (a bug, please report it):");
            e.printStackTrace(err);
            return 70;
        } finally {
            spark.stop();
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i) {
        String v = value(args, i);
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a positive whole number, got " + v);
        }
    }
}
