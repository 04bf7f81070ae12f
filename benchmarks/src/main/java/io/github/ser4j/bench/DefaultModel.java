package io.github.ser4j.bench;

import io.github.ser4j.onnx.OnnxEmotionRecognizer;

/** Whether ser-onnx embeds its default model; benchmarks that need it fail at run time, with this message, if not. */
final class DefaultModel {
    private DefaultModel() {
    }

    /** @throws IllegalStateException if the default model is not on the class path */
    static void require() {
        if (!OnnxEmotionRecognizer.hasDefaultModel()) {
            throw new IllegalStateException("default model not yet embedded: this ser-onnx build has no "
                    + OnnxEmotionRecognizer.DEFAULT_CARD_RESOURCE + " on the class path (train and embed it, see "
                    + "training/), so ONNX benchmarks cannot run");
        }
    }
}
