package io.github.ser4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.FeatureKind;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code functionals} feature of a model card against the numpy reference: fixtures/functionals_nc, made by
 * src/test/python/make_functionals_fixture.py from training/functionals.py itself (the vector per clip, the global
 * normalisation a StandardScaler fitted on other generated clips, and Python onnxruntime's probabilities).
 *
 * <p>Tolerance: Java computes the functionals in double and rounds to float32 as the reference does; the doubles agree
 * to ~1e-11 relative (ser-dsp's ProsodyGoldenTest), so a float32 value differs by at most one ulp, where rounding falls
 * within ~1e-11 of a tie. The model input is {@code (float) ((v - mean) / scale)} on both sides, so it may differ by
 * {@code ulp(v) / scale} plus one ulp of the result; the test allows twice that, and reports how many values are not
 * bit-identical.
 */
class FunctionalsCardTest {
    private static final String MODEL = "functionals_nc";

    private static JsonNode expected() throws IOException {
        return Fixtures.JSON.readTree(Fixtures.root().resolve(MODEL).resolve("expected.json").toFile()).get("clips");
    }

    private static float[] clip(String name) {
        return Fixtures.readNpy(Fixtures.root().resolve(MODEL).resolve("clips").resolve(name + ".npy"));
    }

    @Test
    void modelInputIsTheReferenceVector() throws IOException {
        ModelCard card = ModelCard.read(Fixtures.card(MODEL));
        assertEquals(FeatureKind.FUNCTIONALS, card.features().stack().get(0).kind());
        assertEquals(139, card.features().rows());
        JsonNode scaleNode = Fixtures.JSON.readTree(Fixtures.card(MODEL).toFile()).get("features").get("normalize")
                .get("scale");
        ModelInputPipeline pipeline = ModelInputPipeline.of(card);
        JsonNode expected = expected();
        int compared = 0;
        int notIdentical = 0;
        double worst = 0;
        for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode e = expected.get(name);
            float[] y = clip(name);
            assertEquals(e.get("samples").intValue(), y.length, name);
            ModelInput in = pipeline.apply(y, Fixtures.SR);
            assertArrayEquals(new long[] {139}, in.shape(), name + ": NC, rows x 1 column");
            assertTrue(in.speech(), name);
            float[] want = Fixtures.floats(e.get("model_input"));
            float[] raw = Fixtures.floats(e.get("functionals"));
            float[] got = in.data();
            assertEquals(want.length, got.length);
            for (int k = 0; k < want.length; k++) {
                double scale = scaleNode.get(k).doubleValue();
                double limit = 2 * (Math.ulp(raw[k]) / scale + Math.ulp(want[k]));
                double err = Math.abs(got[k] - want[k]);
                assertTrue(err <= limit, name + " value " + k + ": java " + got[k] + ", numpy " + want[k]);
                worst = Math.max(worst, err / limit);
                notIdentical += got[k] == want[k] ? 0 : 1;
                compared++;
            }
        }
        System.out.printf("functionals card: %d model-input values, %d not bit-identical, worst %.2f of the limit%n",
                compared, notIdentical, worst);
    }

    /** The card's model runs: the graph accepts the 139-vector and the probabilities are Python onnxruntime's. */
    @Test
    void recognizerGivesPythonsProbabilities() throws IOException {
        JsonNode expected = expected();
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card(MODEL))) {
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                EmotionPrediction p = ser.recognize(clip(name), Fixtures.SR);
                assertArrayEquals(Fixtures.floats(expected.get(name).get("probabilities")), p.probabilities(), 1e-5f,
                        name);
            }
        }
    }

    @Test
    void otherSampleRatesAreRejected(@TempDir Path dir) {
        for (String rate : new String[] {"22050", "8000", "null"}) {
            Path card = Fixtures.copy(MODEL, dir, c -> ((ObjectNode) c.get("audio")).set("sample_rate",
                    rate.equals("null") ? Fixtures.JSON.nullNode() : Fixtures.JSON.getNodeFactory()
                            .numberNode(Integer.parseInt(rate))));
            String m = assertThrows(ModelException.class, () -> ModelCard.read(card)).getMessage();
            for (String word : new String[] {"audio.sample_rate", "functionals", "16000", rate}) {
                assertTrue(m.contains(word), "\"" + word + "\" missing from: " + m);
            }
        }
    }

    @Test
    void functionalsMustBeAlone(@TempDir Path dir) throws IOException {
        Path card = Fixtures.copy(MODEL, dir, c -> {
            ArrayNode stack = (ArrayNode) c.get("features").get("stack");
            stack.addObject().put("name", "rms");
        });
        String m = assertThrows(ModelException.class, () -> ModelCard.read(card)).getMessage();
        assertTrue(m.contains("functionals") && m.contains("only feature"), m);
        Path deltas = Fixtures.copy(MODEL, dir, c -> ((ObjectNode) c.get("features").get("stack").get(0))
                .putObject("deltas").putArray("orders").add(1));
        m = assertThrows(ModelException.class, () -> ModelCard.read(deltas)).getMessage();
        assertTrue(m.contains("deltas") && m.contains("functionals"), m);
        Path params = Fixtures.copy(MODEL, dir, c -> ((ObjectNode) c.get("features").get("stack").get(0))
                .putObject("params").put("n_fft", 512));
        m = assertThrows(ModelException.class, () -> ModelCard.read(params)).getMessage();
        assertTrue(m.contains("n_fft"), m);
        assertTrue(Files.exists(dir.resolve("model.onnx")));
    }
}
