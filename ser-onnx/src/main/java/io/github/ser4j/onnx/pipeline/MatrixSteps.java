package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.ModelCard.Aggregate;
import io.github.ser4j.onnx.card.ModelCard.Frames;
import io.github.ser4j.onnx.card.ModelCard.Normalization;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Steps 9-11 of a card's pipeline on the stacked feature matrix: fixed frame count, aggregation and normalisation
 * (speaker adaptation, between the last two, is {@link SpeakerStatistics}'). Stateless.
 */
final class MatrixSteps {
    private MatrixSteps() {
    }

    /** The feature matrix after steps 8-11: rows x cols, row-major. */
    record Matrix(float[] data, int rows, int cols) {
    }

    static Matrix fitFrames(ModelCard card, Matrix m) {
        Optional<Frames> fo = card.features().frames();
        if (fo.isEmpty() || fo.get().count() == m.cols) {
            return m;
        }
        Frames f = fo.get();
        int count = f.count();
        float[] out = new float[m.rows * count];
        if (m.cols > count) {
            int start = AudioPreparation.keepStart(m.cols, count, f.crop());
            for (int r = 0; r < m.rows; r++) {
                System.arraycopy(m.data, r * m.cols + start, out, r * count, count);
            }
        } else {
            float value = (float) f.padValue();
            if (f.padWithMin()) {
                value = Float.POSITIVE_INFINITY;
                for (float v : m.data) {
                    value = Math.min(value, v);
                }
            }
            Arrays.fill(out, value);
            int before = AudioPreparation.padBefore(count - m.cols, f.pad());
            for (int r = 0; r < m.rows; r++) {
                System.arraycopy(m.data, r * m.cols, out, r * count + before, m.cols);
            }
        }
        return new Matrix(out, m.rows, count);
    }

    static Matrix aggregate(ModelCard card, Matrix m) {
        Optional<Aggregate> ao = card.features().aggregate();
        if (ao.isEmpty()) {
            return m;
        }
        Aggregate ag = ao.get();
        double[] wide = new double[m.data.length]; // exact widening: the same sums as over the floats
        for (int i = 0; i < wide.length; i++) {
            wide[i] = m.data[i];
        }
        boolean mean = ag.stats() != ModelCard.Stats.STD;
        boolean std = ag.stats() != ModelCard.Stats.MEAN;
        if (ag.axis() == ModelCard.AggregateAxis.TIME) {
            int k = ag.statCount();
            float[] out = new float[m.rows * k];
            for (int r = 0; r < m.rows; r++) {
                double[] ms = meanStd(wide, r * m.cols, m.cols, 1);
                int slot = 0;
                if (mean) {
                    out[r] = (float) ms[0];
                    slot = m.rows;
                }
                if (std) {
                    out[slot + r] = (float) ms[1];
                }
            }
            return new Matrix(out, m.rows * k, 1);
        }
        int k = ag.statCount();
        float[] out = new float[k * m.cols];
        for (int c = 0; c < m.cols; c++) {
            double[] ms = meanStd(wide, c, m.rows, m.cols);
            int row = 0;
            if (mean) {
                out[c] = (float) ms[0];
                row = 1;
            }
            if (std) {
                out[row * m.cols + c] = (float) ms[1];
            }
        }
        return new Matrix(out, k, m.cols);
    }

    /** Mean and population standard deviation (numpy's two-pass formula) of n values from {@code from} by stride. */
    private static double[] meanStd(double[] data, int from, int n, int stride) {
        double sum = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            sum += data[j];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            double d = data[j] - mean;
            sq += d * d;
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /** Normalises {@code d} (the matrix's values, widened and maybe adapted) into {@code m.data}. */
    static void normalize(ModelCard card, double[] d, Matrix m) {
        Normalization nz = card.features().normalize();
        float[] o = m.data;
        switch (nz.type()) {
            case NONE:
                for (int i = 0; i < d.length; i++) {
                    o[i] = (float) d[i];
                }
                return;
            case UTTERANCE:
                if (nz.perRow()) {
                    for (int r = 0; r < m.rows; r++) {
                        double[] ms = meanStd(d, r * m.cols, m.cols, 1);
                        double div = ms[1] + nz.epsilon();
                        for (int c = r * m.cols; c < (r + 1) * m.cols; c++) {
                            o[c] = (float) ((d[c] - ms[0]) / div);
                        }
                    }
                } else {
                    double[] ms = meanStd(d, 0, d.length, 1);
                    double div = ms[1] + nz.epsilon();
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - ms[0]) / div);
                    }
                }
                return;
            case GLOBAL: {
                List<Double> mean = nz.mean();
                List<Double> scale = nz.scale();
                int len = mean.size();
                if (len == 1) {
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - mean.get(0)) / scale.get(0));
                    }
                } else if (len == m.rows) {
                    for (int r = 0; r < m.rows; r++) {
                        double mu = mean.get(r);
                        double sc = scale.get(r);
                        for (int c = r * m.cols; c < (r + 1) * m.cols; c++) {
                            o[c] = (float) ((d[c] - mu) / sc);
                        }
                    }
                } else if (len == d.length) {
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - mean.get(i)) / scale.get(i));
                    }
                } else {
                    throw new IllegalArgumentException("features.normalize.mean has " + len + " values but the "
                            + "feature matrix of this clip is " + m.rows + " x " + m.cols + "; use 1, " + m.rows
                            + " (per row) or " + d.length + " (element-wise) values");
                }
                return;
            }
            default:
                throw new AssertionError(nz.type());
        }
    }
}
