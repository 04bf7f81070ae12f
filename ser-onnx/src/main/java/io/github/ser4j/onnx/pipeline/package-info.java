/**
 * The model card's preprocessing as a public, reusable step: {@link io.github.ser4j.onnx.pipeline.ModelInputPipeline}
 * turns mono samples into exactly the input tensor a model gets. The Python training recipe calls it (through the
 * {@code ser extract} command) so training and serving compute identical features.
 */
package io.github.ser4j.onnx.pipeline;
