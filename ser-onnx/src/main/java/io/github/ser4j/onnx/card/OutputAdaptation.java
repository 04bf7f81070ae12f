package io.github.ser4j.onnx.card;

import java.util.Objects;

/**
 * Speaker adaptation of the model's output ({@code output.adapt}, step 13b): per speaker, for its k-th clip with
 * speech (k from 1), in double precision, {@code l = ln(max(p, floor)); S += l; m = S / (priorCount + k);
 * d_c = max(m_c - mean(m), 0); p' = softmax(l - strength * d)}, with {@code S} zero at the start of a speaker. The
 * reference is {@code training/output_adapt.py}. Immutable and thread-safe.
 *
 * @param type       the kind (only {@link Type#DEMOTE_EXCESS})
 * @param priorCount pseudo-clips without preference that start every speaker (&gt;= 0)
 * @param strength   how much of the excess is taken off the log-probabilities (&gt;= 0)
 * @param floor      smallest probability taken into the logarithm (0 &lt; floor &lt; 1)
 */
public record OutputAdaptation(Type type, double priorCount, double strength, double floor) {
    /** The kinds of output adaptation ({@code output.adapt.type}). */
    public enum Type {
        /**
         * Lowers each class by how far the speaker's running mean log-probability of it stands above the mean over
         * the classes; classes below the mean are never raised.
         */
        DEMOTE_EXCESS
    }

    /** @throws IllegalArgumentException if a value is out of its range */
    public OutputAdaptation {
        Objects.requireNonNull(type, "type");
        if (!(priorCount >= 0 && strength >= 0 && floor > 0 && floor < 1) || Double.isInfinite(priorCount)
                || Double.isInfinite(strength)) {
            throw new IllegalArgumentException("output.adapt out of range: prior_count " + priorCount + ", strength "
                    + strength + ", floor " + floor);
        }
    }
}
