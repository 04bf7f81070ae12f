/**
 * The ONNX Runtime backend of ser4j: model cards, the card-driven feature pipeline and the recogniser. It finds
 * models packaged as jars (such as {@code io.github.ser4j.defaultmodel}) through
 * {@link io.github.ser4j.api.spi.PackagedModel}.
 */
@SuppressWarnings("requires-automatic") // ONNX Runtime: a stable Automatic-Module-Name, no descriptor
module io.github.ser4j.onnx {
    requires transitive io.github.ser4j.api;
    requires io.github.ser4j.dsp;
    requires com.microsoft.onnxruntime;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.github.ser4j.onnx;
    exports io.github.ser4j.onnx.card;
    exports io.github.ser4j.onnx.pipeline;

    uses io.github.ser4j.api.spi.PackagedModel;
    provides io.github.ser4j.api.spi.RecognizerProvider with io.github.ser4j.onnx.OnnxRecognizerProvider;
}
