package io.github.ser4j.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a model says about one stretch of audio: a probability per label, in the model's label order.
 *
 * <p>When the audio holds no speech (silence, or too little signal to judge), {@link #isSpeech()} is false,
 * {@link #label()} is {@link #NO_SPEECH}, {@link #confidence()} is 0 and every probability is 0: a silent clip never
 * yields a confident emotion.
 *
 * <p>Immutable and thread-safe: accessors return copies.
 */
public final class EmotionPrediction {
    /** The label of a prediction made on audio without speech. */
    public static final String NO_SPEECH = "no_speech";

    private final List<String> labels;
    private final float[] probabilities;
    private final boolean speech;
    private final double arousal;
    private final double valence;

    private EmotionPrediction(List<String> labels, float[] probabilities, boolean speech, double arousal,
                              double valence) {
        this.labels = labels;
        this.probabilities = probabilities;
        this.speech = speech;
        this.arousal = arousal;
        this.valence = valence;
    }

    /**
     * @param labels        the model's labels in output order, not empty, no duplicates
     * @param probabilities one per label, each in [0, 1] (copied)
     * @return a speech prediction without arousal/valence
     * @throws IllegalArgumentException if the sizes differ or a probability is not a finite value in [0, 1]
     */
    public static EmotionPrediction of(List<String> labels, float[] probabilities) {
        return of(labels, probabilities, Double.NaN, Double.NaN);
    }

    /**
     * @param labels        the model's labels in output order, not empty, no duplicates
     * @param probabilities one per label, each in [0, 1] (copied)
     * @param arousal       arousal estimate, or {@code NaN} when the model gives none
     * @param valence       valence estimate, or {@code NaN} when the model gives none
     * @return a speech prediction
     * @throws IllegalArgumentException if the sizes differ or a probability is not a finite value in [0, 1]
     */
    public static EmotionPrediction of(List<String> labels, float[] probabilities, double arousal, double valence) {
        List<String> copy = checkLabels(labels);
        if (probabilities.length != copy.size()) {
            throw new IllegalArgumentException(
                    probabilities.length + " probabilities for " + copy.size() + " labels " + copy);
        }
        for (int i = 0; i < probabilities.length; i++) {
            float p = probabilities[i];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException(
                        "probability of '" + copy.get(i) + "' must be in [0, 1], got " + p);
            }
        }
        return new EmotionPrediction(copy, probabilities.clone(), true, arousal, valence);
    }

    /**
     * @param labels the model's labels in output order
     * @return the prediction for audio without speech: all probabilities 0
     */
    public static EmotionPrediction noSpeech(List<String> labels) {
        List<String> copy = checkLabels(labels);
        return new EmotionPrediction(copy, new float[copy.size()], false, Double.NaN, Double.NaN);
    }

    private static List<String> checkLabels(List<String> labels) {
        List<String> copy = List.copyOf(labels);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("labels must be distinct: " + copy);
        }
        return copy;
    }

    /** {@return whether the audio held speech; when false, every probability is 0} */
    public boolean isSpeech() {
        return speech;
    }

    /** {@return the most probable label (the first on ties), or {@link #NO_SPEECH}} */
    public String label() {
        return speech ? labels.get(argmax()) : NO_SPEECH;
    }

    /** {@return the probability of {@link #label()}, 0 without speech} */
    public float confidence() {
        return speech ? probabilities[argmax()] : 0f;
    }

    private int argmax() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@return the model's labels, in output order (unmodifiable)} */
    public List<String> labels() {
        return labels;
    }

    /** {@return a copy of the probabilities, in {@link #labels()} order} */
    public float[] probabilities() {
        return probabilities.clone();
    }

    /**
     * @param label one of {@link #labels()}
     * @return its probability
     * @throws IllegalArgumentException if the model has no such label
     */
    public float probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("no label '" + label + "'; the model's labels are " + labels);
        }
        return probabilities[i];
    }

    /** {@return the arousal estimate, if the model gives one} */
    public OptionalDouble arousal() {
        return Double.isNaN(arousal) ? OptionalDouble.empty() : OptionalDouble.of(arousal);
    }

    /** {@return the valence estimate, if the model gives one} */
    public OptionalDouble valence() {
        return Double.isNaN(valence) ? OptionalDouble.empty() : OptionalDouble.of(valence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmotionPrediction p && speech == p.speech && labels.equals(p.labels)
                && Arrays.equals(probabilities, p.probabilities)
                && Double.compare(arousal, p.arousal) == 0 && Double.compare(valence, p.valence) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, Arrays.hashCode(probabilities), speech, arousal, valence);
    }

    @Override
    public String toString() {
        if (!speech) {
            return "EmotionPrediction[" + NO_SPEECH + "]";
        }
        StringBuilder sb = new StringBuilder("EmotionPrediction[").append(label()).append(" {");
        for (int i = 0; i < probabilities.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(labels.get(i)).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", probabilities[i]));
        }
        return sb.append("}]").toString();
    }
}
