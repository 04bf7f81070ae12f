package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.onnx.card.OutputAdaptation;

import java.util.Arrays;

/**
 * One speaker's running sums for {@code output.adapt} (step 13b), held and guarded by a {@link SpeakerStatistics}:
 * {@code S}, the sum of the log-probabilities of the speaker's clips, and their count {@code k}. The arithmetic is
 * {@code training/output_adapt.py}'s {@code Running.adapt}, in double precision and in the same order. Two double
 * arrays of one value per label are allocated once; an update allocates nothing. Not thread-safe.
 */
final class OutputSums {
    private final OutputAdaptation adaptation;
    private final double[] sums;
    /** The current clip's log-probabilities, then its adapted probabilities. */
    private final double[] work;
    private long clips;

    OutputSums(OutputAdaptation adaptation, int labels) {
        this.adaptation = adaptation;
        this.sums = new double[labels];
        this.work = new double[labels];
    }

    /** {@return clips added since creation or the last reset} */
    long clips() {
        return clips;
    }

    void reset() {
        Arrays.fill(sums, 0);
        clips = 0;
    }

    /**
     * Adds the next clip's probabilities to the sums and computes its adapted probabilities.
     *
     * @param p the model's probabilities of the clip, one per label
     * @return the adapted probabilities in double precision: an internal array, valid until the next call
     */
    double[] add(float[] p) {
        int n = sums.length;
        if (p.length != n) {
            throw new IllegalArgumentException(p.length + " probabilities, output statistics of " + n + " labels");
        }
        double floor = adaptation.floor();
        double[] l = work;
        clips++;
        double count = adaptation.priorCount() + clips;
        double meanSum = 0;
        for (int c = 0; c < n; c++) {
            l[c] = Math.log(Math.max((double) p[c], floor));
            sums[c] += l[c];
            meanSum += sums[c] / count;
        }
        double mean = meanSum / n;
        double strength = adaptation.strength();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            double z = l[c] - strength * Math.max(sums[c] / count - mean, 0.0);
            l[c] = z;
            max = Math.max(max, z);
        }
        double total = 0;
        for (int c = 0; c < n; c++) {
            l[c] = Math.exp(l[c] - max);
            total += l[c];
        }
        for (int c = 0; c < n; c++) {
            l[c] /= total;
        }
        return l;
    }

    /** {@link #add(float[])}, writing the adapted probabilities back into {@code p} as floats. */
    void adapt(float[] p) {
        double[] q = add(p);
        for (int c = 0; c < q.length; c++) {
            p[c] = (float) q[c];
        }
    }
}
