package io.github.ser4j.api;

/**
 * No backend on the class path can do what was asked: no inference backend (add {@code ser-onnx}), no default model
 * for {@link EmotionRecognizer#create()} (add {@code ser-model-default}, or load a model card), no audio backend (add
 * {@code ser-audio-javasound}), or none that accepts the given model card. The message names the artifact.
 *
 * <p>Thread-safety: immutable; safe to pass between threads.
 */
public class BackendNotFoundException extends SerException {
    private static final long serialVersionUID = 1L;

    /** @param message what was looked for and which artifact provides it */
    public BackendNotFoundException(String message) {
        super(message);
    }
}
