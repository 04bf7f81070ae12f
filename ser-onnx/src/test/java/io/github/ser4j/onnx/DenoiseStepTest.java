package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.dsp.denoise.SpectralGate;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The card step {@code audio.denoise} and {@link RecognizerOptions#denoise()}: the model sees exactly what it would
 * see for the clip denoised beforehand by ser-dsp's {@link SpectralGate}, with the card's parameters.
 */
class DenoiseStepTest {
    private static final int RATE = 16000;

    /** 0.8 s of voice in white noise: within the 1 s window of keras_cnn_logmel_nhwc (crop start, pad end). */
    private static float[] noisyVoice() {
        Random r = new Random(19);
        float[] y = new float[RATE * 4 / 5];
        for (int i = 0; i < y.length; i++) {
            y[i] = RecordingAnalysisTest.voice(i + 3000, RATE) * (i > 3000 && i < 10000 ? 1 : 0)
                    + 0.05f * (float) r.nextGaussian();
        }
        return y;
    }

    private static ObjectNode card(String fixture) throws IOException {
        return (ObjectNode) Fixtures.JSON.readTree(Fixtures.card(fixture).toFile());
    }

    private static ModelCard parse(ObjectNode card) {
        return ModelCard.parse(card.toString().getBytes(StandardCharsets.UTF_8), "test-card.json");
    }

    @Test
    void theCardStepDenoisesTheClipBeforeTheFeatures() throws IOException {
        ObjectNode json = card("keras_cnn_logmel_nhwc");
        ((ObjectNode) json.get("audio")).putObject("denoise").put("prop_decrease", 0.8).put("n_fft", 512);
        ModelCard withStep = parse(json);
        ModelCard.Denoise d = withStep.audio().denoise().orElseThrow();
        assertEquals(0.8, d.propDecrease());
        assertEquals(512, d.nFft());
        assertEquals(128, d.hopLength()); // n_fft / 4, as noisereduce
        assertEquals(500, d.freqMaskSmoothHz());

        float[] y = noisyVoice();
        float[] clean = SpectralGate.builder().propDecrease(0.8).nFft(512).build().apply(y, RATE);
        ModelInputPipeline plain = ModelInputPipeline.of(ModelCard.read(Fixtures.card("keras_cnn_logmel_nhwc")));
        float[] expected = plain.apply(clean, RATE).data();
        float[] got = ModelInputPipeline.of(withStep).apply(y, RATE).data();
        assertArrayEquals(expected, got, 0f);
        assertFalse(java.util.Arrays.equals(plain.apply(y, RATE).data(), got), "the step changes the input");
    }

    @Test
    void theOptionDenoisesWithNoisereduceDefaultsWhenTheCardHasNoStep() {
        float[] y = noisyVoice();
        float[] clean = SpectralGate.nonStationary().apply(y, RATE);
        try (OnnxEmotionRecognizer plain = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"));
             OnnxEmotionRecognizer denoised = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"),
                     RecognizerOptions.builder().denoise(true).build())) {
            assertFalse(plain.pipeline().denoises());
            assertTrue(denoised.pipeline().denoises());
            EmotionPrediction expected = plain.recognize(clean, RATE);
            assertArrayEquals(expected.probabilities(), denoised.recognize(y, RATE).probabilities(), 0f);
            assertFalse(java.util.Arrays.equals(plain.recognize(y, RATE).probabilities(),
                    expected.probabilities()), "denoising changes the prediction of a noisy clip");
        }
    }

    @Test
    void badDenoiseParametersNameTheField() throws IOException {
        for (String[] bad : new String[][] {
                {"prop_decrease", "1.5", "audio.denoise.prop_decrease"},
                {"n_fft", "511", "audio.denoise.n_fft"},
                {"hop_length", "300", "audio.denoise.hop_length"},
                {"time_constant_s", "0", "audio.denoise.time_constant_s"},
                {"stationary", "true", "stationary"}}) {
            ObjectNode json = card("keras_cnn_logmel_nhwc");
            ((ObjectNode) json.get("audio")).putObject("denoise").set(bad[0], Fixtures.JSON.readTree(bad[1]));
            String message = assertThrows(ModelException.class, () -> parse(json)).getMessage();
            assertTrue(message.contains(bad[2]), bad[0] + ": " + message);
        }
    }
}
