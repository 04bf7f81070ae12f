/**
 * ser4j on Apache Spark: {@link io.github.ser4j.spark.SerSpark#analyze} turns a folder or glob of audio files into a
 * {@code files} and a {@code segments} {@code Dataset<Row>}, and {@link io.github.ser4j.spark.SerSpark#run} writes them
 * as Parquet in resumable batches. Each executor JVM loads the model once (from a broadcast model card and model
 * file, SHA-256 checked) and shares that recogniser across its task threads; ONNX Runtime runs one intra-op thread per
 * task, so parallelism is the executors' cores.
 */
package io.github.ser4j.spark;
