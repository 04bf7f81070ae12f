package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.onnx.pipeline.ModelInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio -> card -> probabilities in Java against librosa + Python onnxruntime (expected.json, made by
 * make_fixtures.py). The probabilities must agree to 1e-4; the model inputs are compared too, so a feature bug shows
 * up even where a saturated softmax would hide it.
 */
class FixtureParityTest {
    static final double PROBABILITY_TOLERANCE = 1e-4;
    /** Model inputs: absolute error relative to the input's largest magnitude (at least 1). */
    static final double INPUT_TOLERANCE = 2e-4;
    /**
     * Clips at 22.05/44.1 kHz go through ser-dsp's resampler in Java and soxr_hq in Python: two different (both
     * band-limited) filters, so they agree to about -70..-130 dB, not to float precision.
     */
    static final double RESAMPLED_TOLERANCE = 1e-3;
    static final double RESAMPLED_INPUT_TOLERANCE = 1e-2;

    @ParameterizedTest
    @MethodSource("io.github.ser4j.onnx.Fixtures#models")
    void javaReproducesPython(String model) {
        JsonNode expected = Fixtures.expected(model);
        double maxProbDiff = 0;
        double maxInputDiff = 0;
        double maxAvDiff = 0;
        double maxResampledProbDiff = 0;
        double maxResampledInputDiff = 0;
        int resampledOutliers = 0;
        int resampledCount = 0;
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card(model))) {
            for (java.util.Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String clipName = it.next();
                float[] clip = Fixtures.clip(clipName);
                JsonNode e = expected.get(clipName);
                int rate = e.get("sample_rate").intValue();
                double tolerance = rate == Fixtures.SR ? PROBABILITY_TOLERANCE : RESAMPLED_TOLERANCE;
                ModelInput in = ser.pipeline().apply(clip, rate);
                float[] py = Fixtures.pythonInput(model, clipName);
                long[] pyShape = new long[e.get("input_shape").size()];
                for (int i = 0; i < pyShape.length; i++) {
                    pyShape[i] = e.get("input_shape").get(i).longValue();
                }
                assertArrayEquals(pyShape, in.shape(), model + "/" + clipName + " input shape");
                assertEquals(e.get("speech").booleanValue(), in.speech(), model + "/" + clipName + " speech gate");
                float[] java = in.data();
                double scale = 1;
                for (float v : py) {
                    scale = Math.max(scale, Math.abs(v));
                }
                double diff = 0;
                int worst = -1;
                int outliers = 0;
                for (int i = 0; i < py.length; i++) {
                    double d = Math.abs(java[i] - py[i]);
                    if (d / scale > RESAMPLED_INPUT_TOLERANCE) {
                        outliers++;
                    }
                    if (d > diff) {
                        diff = d;
                        worst = i;
                    }
                }
                if (rate != Fixtures.SR) {
                    resampledCount++;
                    // zero_crossing_rate is discontinuous: a ~1e-6 resampler difference on a sample next to zero can
                    // flip one crossing (1/frame_length), which a per-row z-score then magnifies
                    assertTrue(outliers <= py.length / 200, model + "/" + clipName + ": " + outliers + " of "
                            + py.length + " input values differ by more than " + RESAMPLED_INPUT_TOLERANCE);
                    diff = 0;
                    for (int i = 0; i < py.length; i++) {
                        double d = Math.abs(java[i] - py[i]);
                        if (d / scale <= RESAMPLED_INPUT_TOLERANCE) {
                            diff = Math.max(diff, d);
                        }
                    }
                    resampledOutliers += outliers;
                }
                if (rate != Fixtures.SR) {
                    maxResampledInputDiff = Math.max(maxResampledInputDiff, diff / scale);
                } else {
                    maxInputDiff = Math.max(maxInputDiff, diff / scale);
                }
                assertTrue(diff / scale <= (rate == Fixtures.SR ? INPUT_TOLERANCE : RESAMPLED_INPUT_TOLERANCE), model + "/" + clipName + ": model input differs by "
                        + diff + " (scale " + scale + ") at " + worst + ": java " + (worst < 0 ? 0 : java[worst])
                        + " python " + (worst < 0 ? 0 : py[worst]));

                EmotionPrediction p = ser.recognize(clip, rate);
                if (!e.get("speech").booleanValue()) {
                    assertFalse(p.isSpeech(), model + "/" + clipName + " must be no_speech");
                    assertEquals(EmotionPrediction.NO_SPEECH, p.label());
                    continue;
                }
                float[] want = Fixtures.floats(e.get("probabilities"));
                float[] got = p.probabilities();
                for (int i = 0; i < want.length; i++) {
                    if (rate == Fixtures.SR) {
                        maxProbDiff = Math.max(maxProbDiff, Math.abs(got[i] - want[i]));
                    } else {
                        maxResampledProbDiff = Math.max(maxResampledProbDiff, Math.abs(got[i] - want[i]));
                    }
                }
                assertArrayEquals(want, got, (float) tolerance, model + "/" + clipName
                        + " probabilities: java " + Arrays.toString(got) + " python " + Arrays.toString(want));
                if (e.has("arousal")) {
                    double da = Math.abs(p.arousal().getAsDouble() - e.get("arousal").doubleValue());
                    double dv = Math.abs(p.valence().getAsDouble() - e.get("valence").doubleValue());
                    // the regression head sees the raw inputs: one flipped ZCR crossing moves it by ~2e-3
                    double avTolerance = rate == Fixtures.SR ? PROBABILITY_TOLERANCE : 5e-3;
                    if (rate == Fixtures.SR) {
                        maxAvDiff = Math.max(maxAvDiff, Math.max(da, dv));
                    }
                    assertTrue(da <= avTolerance && dv <= avTolerance,
                            model + "/" + clipName + " arousal/valence differ by " + da + "/" + dv);
                } else {
                    assertTrue(p.arousal().isEmpty());
                }
            }
        }
        String resampled = resampledCount == 0 ? "none (the card keeps the clip's rate)"
                : String.format(Locale.ROOT, "max|dp| = %.3g, max input rel. diff = %.3g (+%d ZCR flips)",
                maxResampledProbDiff, maxResampledInputDiff, resampledOutliers);
        System.out.printf(Locale.ROOT, "PARITY %-26s max|p_py - p_java| = %.3g, max input rel. diff = %.3g, "
                + "max arousal/valence diff = %.3g; resampled clips (ser-dsp vs soxr_hq): %s%n", model, maxProbDiff,
                maxInputDiff, maxAvDiff, resampled);
    }

    @ParameterizedTest
    @MethodSource("io.github.ser4j.onnx.Fixtures#models")
    void batchedRecognitionMatchesPythonInOneRunPerShape(String model) {
        JsonNode expected = Fixtures.expected(model);
        List<float[]> clips = new ArrayList<>();
        for (String c : Fixtures.CLIPS) { // all at 16 kHz
            clips.add(Fixtures.clip(c));
        }
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Fixtures.card(model))) {
            long before = ser.modelRuns();
            List<EmotionPrediction> all = ser.recognizeAll(clips, Fixtures.SR);
            long runs = ser.modelRuns() - before;
            long shapes = Fixtures.CLIPS.stream().filter(c -> expected.get(c).get("speech").booleanValue())
                    .map(c -> expected.get(c).get("input_shape").toString()).distinct().count();
            assertEquals(shapes, runs, model + ": one model run per distinct input shape");
            for (int i = 0; i < clips.size(); i++) {
                JsonNode e = expected.get(Fixtures.CLIPS.get(i));
                if (!e.get("speech").booleanValue()) {
                    assertFalse(all.get(i).isSpeech());
                    continue;
                }
                assertArrayEquals(Fixtures.floats(e.get("probabilities")), all.get(i).probabilities(),
                        (float) PROBABILITY_TOLERANCE, model + "/" + Fixtures.CLIPS.get(i) + " in a batch");
            }
        }
    }
}
