/**
 * Streaming, allocation-free feature extraction: {@link io.github.ser4j.dsp.stream.FeatureStream} yields, chunk by
 * chunk, exactly the frames of the batch extractors of {@code io.github.ser4j.dsp.feature}.
 */
package io.github.ser4j.dsp.stream;
