package io.github.ser4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} session of the test JVM, shared by the test classes (starting Spark costs seconds); it ends
 * with the JVM. Small-data settings: one shuffle partition, no whole-stage code generation, no UI.
 */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("ser-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "localhost")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "1")
                    .config("spark.sql.codegen.wholeStage", "false")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
        }
        return session;
    }
}
