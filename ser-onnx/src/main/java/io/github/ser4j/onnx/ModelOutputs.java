package io.github.ser4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.onnx.card.ModelCard;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Reads a model run's outputs as the card states them: class scores (float or double) to probabilities, and the
 * optional arousal/valence regression output. Stateless; every failure is an {@link InferenceException}.
 */
final class ModelOutputs {
    private ModelOutputs() {
    }

    /** Copies the class scores of a batch of {@code n} into {@code scores}, checking their count. */
    static void readScores(ModelCard card, OrtSession.Result result, String name, int n, float[] scores) {
        OnnxValue v = result.get(name).orElseThrow(() -> new InferenceException("model " + card.name()
                + " returned no output '" + name + "'"));
        if (!(v instanceof OnnxTensor t)) {
            throw new InferenceException("model output '" + name + "' is " + v.getType() + ", not a tensor");
        }
        long count = t.getInfo().getNumElements();
        if (count != scores.length) {
            throw new InferenceException("model output '" + name + "' has shape "
                    + Arrays.toString(t.getInfo().getShape()) + " (" + count + " values) for a batch of " + n
                    + ", but output.labels has " + scores.length / n + " labels: expected " + scores.length
                    + " values");
        }
        if (t.getInfo().type == OnnxJavaType.DOUBLE) {
            DoubleBuffer d = t.getDoubleBuffer();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) d.get(i);
            }
        } else {
            t.getFloatBuffer().get(scores);
        }
    }

    /** {@return arousal then valence of each of the {@code n} clips, from the regression output} */
    static double[] readRegression(ModelCard card, OrtSession.Result result, ModelCard.Regression reg, int n) {
        OnnxValue v = result.get(reg.name()).orElseThrow(() -> new InferenceException("model " + card.name()
                + " returned no output '" + reg.name() + "'"));
        if (!(v instanceof OnnxTensor t)) {
            throw new InferenceException("model output '" + reg.name() + "' is " + v.getType() + ", not a tensor");
        }
        long count = t.getInfo().getNumElements();
        if (count % n != 0 || count / n <= Math.max(reg.arousalIndex(), reg.valenceIndex())) {
            throw new InferenceException("model output '" + reg.name() + "' has shape "
                    + Arrays.toString(t.getInfo().getShape()) + " for a batch of " + n + "; output.regression needs "
                    + "indices " + reg.arousalIndex() + " and " + reg.valenceIndex());
        }
        int width = (int) (count / n);
        double[] values = new double[(int) count];
        if (t.getInfo().type == OnnxJavaType.DOUBLE) {
            t.getDoubleBuffer().get(values);
        } else {
            FloatBuffer f = t.getFloatBuffer();
            for (int i = 0; i < values.length; i++) {
                values[i] = f.get(i);
            }
        }
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = values[i * width + reg.arousalIndex()];
            out[2 * i + 1] = values[i * width + reg.valenceIndex()];
        }
        return out;
    }

    /** Scores of one clip to probabilities: softmax for logits, a range check for probabilities. */
    static float[] probabilities(ModelCard card, float[] scores, int from, int count) {
        float[] p = new float[count];
        if (card.output().kind() == ModelCard.OutputKind.LOGITS) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                float s = scores[from + i];
                if (!Float.isFinite(s)) {
                    throw new InferenceException("model output '" + card.output().name() + "' holds " + s
                            + " (logits must be finite)");
                }
                max = Math.max(max, s);
            }
            double sum = 0;
            double[] e = new double[count];
            for (int i = 0; i < count; i++) {
                e[i] = Math.exp(scores[from + i] - max);
                sum += e[i];
            }
            for (int i = 0; i < count; i++) {
                p[i] = (float) (e[i] / sum);
            }
            return p;
        }
        for (int i = 0; i < count; i++) {
            float s = scores[from + i];
            if (!(s >= -1e-4f && s <= 1 + 1e-4f)) {
                throw new InferenceException("model output '" + card.output().name() + "' value " + s + " for label '"
                        + card.output().labels().get(i) + "' is not a probability; if the model outputs logits, set "
                        + "output.kind to \"logits\" in " + card.source());
            }
            p[i] = Math.min(1f, Math.max(0f, s)); // float rounding of a softmax can overshoot by an ulp
        }
        return p;
    }
}
