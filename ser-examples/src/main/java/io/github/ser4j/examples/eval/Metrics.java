package io.github.ser4j.examples.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.examples.io.Json;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Classification metrics of predictions against true labels, computed as scikit-learn computes them:
 * <ul>
 *   <li>{@code accuracy}: correct / n ({@code accuracy_score});</li>
 *   <li>per class: precision = TP / predicted, recall = TP / support, f1 = their harmonic mean, each 0 when its
 *       denominator is 0 ({@code precision_recall_fscore_support(..., zero_division=0)});</li>
 *   <li>{@code uar} (unweighted average recall): the mean recall over the classes with support
 *       ({@code balanced_accuracy_score});</li>
 *   <li>{@code macro_f1}: the mean f1 over the classes that occur among the true or predicted labels
 *       ({@code f1_score(average="macro")} with those labels).</li>
 * </ul>
 * A prediction of {@link EmotionPrediction#NO_SPEECH} (the model heard no speech) counts as wrong: it lowers the
 * recall of the true class and is tallied in its own confusion column, but it is not a class of its own.
 *
 * <p>Immutable and thread-safe.
 */
public final class Metrics {
    private final List<String> labels;
    private final int n;
    private final int[][] confusion;
    private final int[] noSpeech;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final int[] support;
    private final double accuracy;
    private final double uar;
    private final double macroF1;

    private Metrics(List<String> labels, int[][] confusion, int[] noSpeech) {
        this.labels = List.copyOf(labels);
        this.confusion = confusion;
        this.noSpeech = noSpeech;
        int k = labels.size();
        precision = new double[k];
        recall = new double[k];
        f1 = new double[k];
        support = new int[k];
        int total = 0;
        int correct = 0;
        int[] predicted = new int[k];
        for (int t = 0; t < k; t++) {
            support[t] = noSpeech[t];
            for (int p = 0; p < k; p++) {
                support[t] += confusion[t][p];
                predicted[p] += confusion[t][p];
            }
            total += support[t];
            correct += confusion[t][t];
        }
        n = total;
        double recallSum = 0;
        int withSupport = 0;
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            precision[c] = predicted[c] == 0 ? 0 : tp / (double) predicted[c];
            recall[c] = support[c] == 0 ? 0 : tp / (double) support[c];
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
            if (support[c] > 0) {
                recallSum += recall[c];
                withSupport++;
            }
            if (support[c] > 0 || predicted[c] > 0) {
                f1Sum += f1[c];
                present++;
            }
        }
        accuracy = n == 0 ? Double.NaN : correct / (double) n;
        uar = withSupport == 0 ? Double.NaN : recallSum / withSupport;
        macroF1 = present == 0 ? Double.NaN : f1Sum / present;
    }

    /**
     * @param labels    the classes, in the order of the confusion matrix
     * @param truth     true labels, each one of {@code labels}
     * @param predicted predicted labels, each one of {@code labels} or {@link EmotionPrediction#NO_SPEECH}
     * @return the metrics
     * @throws IllegalArgumentException if the lists differ in length or hold a label outside the classes
     */
    public static Metrics of(List<String> labels, List<String> truth, List<String> predicted) {
        Objects.requireNonNull(labels, "labels");
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(truth.size() + " true labels but " + predicted.size() + " predictions");
        }
        Set<String> unique = new LinkedHashSet<>(labels);
        if (unique.size() != labels.size() || labels.isEmpty() || unique.contains(EmotionPrediction.NO_SPEECH)) {
            throw new IllegalArgumentException("labels must be distinct, not empty and not no_speech: " + labels);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[][] confusion = new int[labels.size()][labels.size()];
        int[] noSpeech = new int[labels.size()];
        for (int i = 0; i < truth.size(); i++) {
            Integer t = index.get(truth.get(i));
            if (t == null) {
                throw new IllegalArgumentException("true label '" + truth.get(i) + "' at " + i + " is not among "
                        + labels);
            }
            String p = predicted.get(i);
            if (EmotionPrediction.NO_SPEECH.equals(p)) {
                noSpeech[t]++;
            } else {
                Integer pi = index.get(p);
                if (pi == null) {
                    throw new IllegalArgumentException("predicted label '" + p + "' at " + i + " is not among "
                            + labels);
                }
                confusion[t][pi]++;
            }
        }
        return new Metrics(labels, confusion, noSpeech);
    }

    /** {@return the classes, in confusion-matrix order} */
    public List<String> labels() {
        return labels;
    }

    /** {@return the number of evaluated items} */
    public int n() {
        return n;
    }

    /** {@return correct / n; NaN when n is 0} */
    public double accuracy() {
        return accuracy;
    }

    /** {@return unweighted average recall over classes with support; NaN when n is 0} */
    public double uar() {
        return uar;
    }

    /** {@return mean f1 over classes occurring in the truth or the predictions; NaN when n is 0} */
    public double macroF1() {
        return macroF1;
    }

    /**
     * @param c class index
     * @return its precision
     */
    public double precision(int c) {
        return precision[c];
    }

    /**
     * @param c class index
     * @return its recall
     */
    public double recall(int c) {
        return recall[c];
    }

    /**
     * @param c class index
     * @return its f1
     */
    public double f1(int c) {
        return f1[c];
    }

    /**
     * @param c class index
     * @return its number of true items
     */
    public int support(int c) {
        return support[c];
    }

    /**
     * @param truth     true class index
     * @param predicted predicted class index
     * @return how many items of class {@code truth} were predicted as {@code predicted}
     */
    public int confusion(int truth, int predicted) {
        return confusion[truth][predicted];
    }

    /**
     * @param truth true class index
     * @return how many items of that class the model judged to hold no speech
     */
    public int noSpeech(int truth) {
        return noSpeech[truth];
    }

    /**
     * @return {@code {"n", "accuracy", "uar", "macro_f1", "per_class": {label: {precision, recall, f1, support}},
     * "confusion": {"labels", "matrix" (rows true, columns predicted), "no_speech" (per true label)}}}; metrics
     * that are undefined (n = 0) are null
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("n", n);
        putNumber(o, "accuracy", accuracy);
        putNumber(o, "uar", uar);
        putNumber(o, "macro_f1", macroF1);
        ObjectNode per = o.putObject("per_class");
        for (int c = 0; c < labels.size(); c++) {
            ObjectNode pc = per.putObject(labels.get(c));
            pc.put("precision", precision[c]);
            pc.put("recall", recall[c]);
            pc.put("f1", f1[c]);
            pc.put("support", support[c]);
        }
        ObjectNode conf = o.putObject("confusion");
        ArrayNode ls = conf.putArray("labels");
        labels.forEach(ls::add);
        ArrayNode matrix = conf.putArray("matrix");
        for (int[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (int v : row) {
                r.add(v);
            }
        }
        ArrayNode ns = conf.putArray("no_speech");
        for (int v : noSpeech) {
            ns.add(v);
        }
        return o;
    }

    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }
}
