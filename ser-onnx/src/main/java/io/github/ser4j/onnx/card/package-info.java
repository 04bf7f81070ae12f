/**
 * Model cards: the JSON description beside an ONNX model of how audio becomes the model's input and its output
 * becomes emotions ({@link io.github.ser4j.onnx.card.ModelCard}; format in {@code docs/model-card.md}).
 */
package io.github.ser4j.onnx.card;
