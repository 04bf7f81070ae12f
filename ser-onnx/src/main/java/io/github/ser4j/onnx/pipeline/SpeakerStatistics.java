package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.onnx.card.ModelCard;

/**
 * One speaker's running statistics for a card's {@code features.adapt} step (step 10b): the sums {@code s1}, {@code s2}
 * per element of the R x C feature matrix, started from the card's prior; and for its {@code output.adapt} step (step
 * 13b) the sums of the log-probabilities of the speaker's clips (see {@link #adaptOutput(float[])}). Made by
 * {@link ModelInputPipeline#newSpeakerStatistics()} and used only with that pipeline.
 *
 * <p>Each matrix {@code x} (the k-th of the speaker, k from 1) updates the sums and is replaced by
 * {@code (x - mu) / (sd + epsilon)} with {@code n = prior_count + k}, {@code mu = s1 / n},
 * {@code sd = sqrt(max(s2 / n - mu^2, 0))}: the numpy reference {@code online_zscore} of
 * {@code training/loco_functionals.py}, in double precision and in the same order of operations. The sums are two
 * double arrays allocated once; an update allocates nothing.
 *
 * <p>Thread-safe: each update and {@link #reset()} is atomic (the instance's monitor).
 */
public final class SpeakerStatistics implements SpeakerContext {
    private final ModelInputPipeline owner;
    /** Initial sums (shared, never modified), or null when the card does not adapt. */
    private final double[] priorS1;
    private final double[] priorS2;
    private final double priorCount;
    private final double epsilon;
    private final double[] s1;
    private final double[] s2;
    /** The {@code output.adapt} sums, or null when the card does not adapt its output. */
    private final OutputSums output;
    private long clips;

    SpeakerStatistics(ModelInputPipeline owner, double[] priorS1, double[] priorS2, double priorCount,
                      double epsilon) {
        this(owner, priorS1, priorS2, priorCount, epsilon, null);
    }

    SpeakerStatistics(ModelInputPipeline owner, double[] priorS1, double[] priorS2, double priorCount,
                      double epsilon, OutputSums output) {
        this.owner = owner;
        this.output = output;
        this.priorS1 = priorS1;
        this.priorS2 = priorS2;
        this.priorCount = priorCount;
        this.epsilon = epsilon;
        this.s1 = priorS1 == null ? null : priorS1.clone();
        this.s2 = priorS2 == null ? null : priorS2.clone();
    }

    /**
     * The initial sums of a prior for an R x C matrix: {@code s1 = n * mu}, {@code s2 = n * (var + mu^2)} per element,
     * the prior's arrays broadcast as {@code features.normalize.global}'s (1 value, R per row, or R x C).
     *
     * @return {@code {s1, s2}}, row-major
     */
    static double[][] priorSums(ModelCard.Adaptation a, int rows, int cols) {
        int size = Math.multiplyExact(rows, cols);
        int len = a.priorMean().size();
        if (len != 1 && len != rows && len != size) {
            throw new IllegalArgumentException("prior of " + len + " values for a " + rows + " x " + cols + " matrix");
        }
        double n = a.priorCount();
        double[] s1 = new double[size];
        double[] s2 = new double[size];
        for (int i = 0; i < size; i++) {
            int k = len == size ? i : len == 1 ? 0 : i / cols;
            double mu = a.priorMean().get(k);
            double var = a.priorVar().get(k);
            s1[i] = n * mu;
            s2[i] = n * (var + mu * mu);
        }
        return new double[][] {s1, s2};
    }

    /** {@return the pipeline that made these statistics (the only one that accepts them)} */
    public ModelInputPipeline pipeline() {
        return owner;
    }

    @Override
    public synchronized long clips() {
        return clips;
    }

    /** {@return true if the card adapts features ({@code features.adapt}) or output ({@code output.adapt})} */
    @Override
    public boolean adaptive() {
        return s1 != null || output != null;
    }

    /** {@return whether the card adapts the model's output ({@code output.adapt}) to the speaker} */
    public boolean adaptsOutput() {
        return output != null;
    }

    /**
     * Step 13b ({@code output.adapt}): adds the probabilities of the speaker's next clip with speech to the speaker's
     * log-probability sums and replaces them in place by the adapted ones. Call once per such clip, in the speaker's
     * order; does nothing when the card does not adapt its output. Allocates nothing. The recogniser calls this
     * itself; it is for callers that run this pipeline and their own model.
     *
     * @param probabilities the model's probabilities of the clip, one per label; replaced by the adapted ones
     * @throws IllegalArgumentException if the length is not the card's label count
     */
    public void adaptOutput(float[] probabilities) {
        if (output == null) {
            return;
        }
        synchronized (this) {
            output.adapt(probabilities);
        }
    }

    @Override
    public synchronized void reset() {
        clips = 0;
        if (output != null) {
            output.reset();
        }
        if (s1 != null) {
            System.arraycopy(priorS1, 0, s1, 0, s1.length);
            System.arraycopy(priorS2, 0, s2, 0, s2.length);
        }
    }

    /**
     * Adds one matrix to the statistics and adapts it in place (only counts it when the card does not adapt).
     *
     * @param x the R x C matrix after aggregation, row-major; replaced by its adapted values
     */
    synchronized void update(double[] x) {
        clips++;
        if (s1 == null) {
            return;
        }
        if (x.length != s1.length) {
            throw new IllegalStateException("feature matrix of " + x.length + " values, statistics of " + s1.length);
        }
        double n = priorCount + clips;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            s1[i] += v;
            s2[i] += v * v;
            double mu = s1[i] / n;
            double sd = Math.sqrt(Math.max(s2[i] / n - mu * mu, 0));
            x[i] = (v - mu) / (sd + epsilon);
        }
    }

    @Override
    public String toString() {
        return "SpeakerStatistics[" + clips() + " clips" + (adaptive() ? "" : ", no adaptation") + "]";
    }
}
