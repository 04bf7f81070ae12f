package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by {@link ModelCardFuzzTest} (regression input {@code crash-2c42c27f…}): with {@code center=true} librosa
 * pads {@code n_fft // 2} on each side, so an odd {@code n_fft} gives {@code 1 + (n + 2 * (n_fft // 2) - n_fft) //
 * hop} frames, one fewer than an even one when the clip is a multiple of the hop. The card used to predict
 * {@code 1 + n // hop} for both, and a stack mixing odd and even frame lengths crashed at run time with an
 * {@link IllegalStateException} instead of being rejected when the card is read.
 */
class OddFrameLengthTest {

    static ObjectNode logmelCard(int nFft) throws IOException {
        ObjectNode c = (ObjectNode) Fixtures.JSON.readTree(Fixtures.card("keras_cnn_logmel_nhwc").toFile());
        ((ObjectNode) c.get("audio")).putNull("duration_seconds");
        ObjectNode p = (ObjectNode) c.get("features").get("stack").get(0).get("params");
        p.put("n_fft", nFft).put("win_length", nFft).put("hop_length", 128);
        return c;
    }

    @Test
    void oddNfftFrameCountIsLibrosas() throws IOException {
        // librosa.feature.melspectrogram(y=np.zeros(16000), n_fft=511, hop_length=128).shape[1] == 125; 512 gives 126
        for (int[] t : new int[][] {{511, 125}, {512, 126}}) {
            ModelCard card = ModelCard.parse(Fixtures.JSON.writeValueAsBytes(logmelCard(t[0])), "odd.json");
            assertEquals(t[1], card.features().stack().get(0).frameCount(16000), "n_fft " + t[0]);
            float[] y = new float[16000];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (0.3 * Math.sin(i * 0.1));
            }
            ModelInput in = ModelInputPipeline.of(card).apply(y, 16000);
            assertEquals(t[1], in.shape()[1], "frames computed for n_fft " + t[0]);
        }
    }

    @Test
    void stackMixingOddAndEvenFrameLengthsIsRejectedWhenRead() throws IOException {
        ObjectNode c = logmelCard(512);
        ObjectNode rms = Fixtures.JSON.createObjectNode().put("name", "rms");
        rms.putObject("params").put("frame_length", 511).put("hop_length", 128);
        ((ArrayNode) c.get("features").get("stack")).add(rms);
        ModelException e = assertThrows(ModelException.class,
                () -> ModelCard.parse(Fixtures.JSON.writeValueAsBytes(c), "mixed.json"));
        assertTrue(e.getMessage().contains("features.stack[1]") && e.getMessage().contains("all even or all odd"),
                e.getMessage());
    }
}
