/**
 * The public API of ser4j: {@link io.github.ser4j.api.EmotionRecognizer}, {@link io.github.ser4j.api.AudioSource},
 * results, exceptions and the {@link java.util.ServiceLoader} SPIs through which backends and models plug in.
 * JDK only.
 */
module io.github.ser4j.api {
    exports io.github.ser4j.api;
    exports io.github.ser4j.api.spi;
    exports io.github.ser4j.api.vad;

    uses io.github.ser4j.api.spi.AudioInputProvider;
    uses io.github.ser4j.api.spi.RecognizerProvider;
    uses io.github.ser4j.api.spi.VadProvider;
}
