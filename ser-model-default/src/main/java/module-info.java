/**
 * The default model of ser4j (non-commercial weights): provides the {@link io.github.ser4j.api.spi.PackagedModel}
 * with id {@code default}, which ser-onnx loads for {@code EmotionRecognizer.create()}. Exports nothing.
 */
module io.github.ser4j.defaultmodel {
    requires io.github.ser4j.api;

    provides io.github.ser4j.api.spi.PackagedModel with io.github.ser4j.defaultmodel.DefaultModel;
}
