package io.github.ser4j.examples.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.examples.io.Json;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which evaluated rows come from the model's own training data, as its card's {@code provenance.training_data}
 * names it: a row's corpus (its {@code corpus} column, else the first folder of its path) matches an entry's
 * {@code name} by the name's first word, case-insensitively ({@code "RAVDESS (speech)"} is {@code ravdess}); when the
 * entry lists {@code speakers}, only rows whose {@code speaker} column is one of them count. Scores on such rows
 * say how well the model fits its training speakers, not how it does on new voices. Immutable.
 */
public final class TrainingOverlap {
    private final Map<String, Integer> rowsPerCorpus;
    private final int rows;

    private TrainingOverlap(Map<String, Integer> rowsPerCorpus) {
        this.rowsPerCorpus = Map.copyOf(rowsPerCorpus);
        this.rows = rowsPerCorpus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * @param trainingData the card's {@code provenance.training_data} array (anything else: no overlap)
     * @param rows         the rows evaluated
     * @return the overlap
     */
    public static TrainingOverlap of(JsonNode trainingData, List<Manifest.Row> rows) {
        Map<String, Set<String>> speakersOf = new HashMap<>(); // corpus -> its listed speakers (empty: all)
        if (trainingData != null && trainingData.isArray()) {
            for (JsonNode entry : trainingData) {
                String corpus = key(entry.path("name").asText(""));
                if (corpus.isEmpty()) {
                    continue;
                }
                Set<String> speakers = speakersOf.computeIfAbsent(corpus, c -> new HashSet<>());
                entry.path("speakers").forEach(s -> speakers.add(s.asText().toLowerCase(Locale.ROOT)));
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (Manifest.Row r : rows) {
            String corpus = corpusOf(r);
            Set<String> speakers = speakersOf.get(corpus);
            if (speakers == null) {
                continue;
            }
            String speaker = r.columns().getOrDefault("speaker", "").toLowerCase(Locale.ROOT);
            if (speakers.isEmpty() || speakers.contains(speaker)) {
                counts.merge(corpus, 1, Integer::sum);
            }
        }
        return new TrainingOverlap(counts);
    }

    /** {@return whether no evaluated row is from the training data} */
    public boolean isEmpty() {
        return rows == 0;
    }

    /** {@return evaluated rows from the training data} */
    public int rows() {
        return rows;
    }

    /**
     * @param evaluated the number of rows evaluated
     * @return a one-line warning
     */
    public String describe(int evaluated) {
        StringBuilder per = new StringBuilder();
        new TreeMap<>(rowsPerCorpus).forEach((c, n) -> per.append(per.length() == 0 ? "" : ", ").append(c)
                .append(' ').append(n));
        return rows + " of " + evaluated + " rows are from corpora the model was trained on (" + per
                + "): it may have heard these very speakers, so these scores are optimistic; for new voices see the "
                + "speaker-independent figures of its model card, or evaluate on other corpora";
    }

    /** {@return {@code {"rows": n, "corpora": {"name": n, ...}}}} */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("rows", rows);
        ObjectNode c = o.putObject("corpora");
        new TreeMap<>(rowsPerCorpus).forEach(c::put);
        return o;
    }

    private static String corpusOf(Manifest.Row r) {
        String corpus = r.columns().getOrDefault("corpus", "");
        if (corpus.isBlank()) {
            String path = r.columns().getOrDefault("path", "").replace('\\', '/');
            int slash = path.indexOf('/');
            corpus = slash > 0 ? path.substring(0, slash) : "";
        }
        return key(corpus);
    }

    /** The first word, lower case: {@code "RAVDESS (speech)"} is {@code ravdess}. */
    static String key(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < lower.length() && Character.isLetterOrDigit(lower.charAt(end))) {
            end++;
        }
        return lower.substring(0, end);
    }
}
