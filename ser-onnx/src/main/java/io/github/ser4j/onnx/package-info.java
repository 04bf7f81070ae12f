/**
 * The ONNX Runtime inference backend: {@link io.github.ser4j.onnx.OnnxEmotionRecognizer} runs a model described by a
 * {@link io.github.ser4j.onnx.card.ModelCard}; {@link io.github.ser4j.onnx.OnnxRecognizerProvider} plugs it into
 * {@link io.github.ser4j.api.EmotionRecognizer#create()} through {@link java.util.ServiceLoader}.
 */
package io.github.ser4j.onnx;
