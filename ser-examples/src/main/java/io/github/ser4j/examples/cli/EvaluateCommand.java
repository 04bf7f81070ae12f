package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.examples.analysis.AnalysisResult;
import io.github.ser4j.examples.analysis.Analyzer;
import io.github.ser4j.examples.eval.HtmlReport;
import io.github.ser4j.examples.eval.Manifest;
import io.github.ser4j.examples.eval.Metrics;
import io.github.ser4j.examples.eval.TrainingOverlap;
import io.github.ser4j.examples.io.Json;
import io.github.ser4j.examples.io.ProgressBar;
import io.github.ser4j.examples.io.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code ser evaluate}: accuracy, UAR, macro F1, per-class metrics and the confusion matrix on a labelled list. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates a model on a labelled file list (CSV with at least the columns path,label, like "
                + "datasets/manifest.csv). Rows whose label the model lacks, and rows without a label, are skipped "
                + "and counted.",
                "Warns on stderr when the manifest's corpora (column corpus, else the path's first folder) or "
                        + "speakers are in the training data the model card lists: such scores are optimistic.",
                "Prints the results as JSON (n, skipped, failed, accuracy, uar, macro_f1, per_class, confusion) and "
                        + "optionally writes them to --json and a self-contained HTML report to --report.",
                "Metrics follow scikit-learn (zero_division=0); a no_speech prediction counts as wrong.",
                "Each file is recognised alone unless --adapt-by COLUMN groups the rows by speaker: then each group's "
                        + "files are recognised in manifest order with one speaker context (the adapted mode of "
                        + "models that adapt to the speaker).",
                "Exit code 0 if every row was evaluated, 1 if some audio files failed (listed under 'errors' and "
                        + "on stderr)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--manifest", paramLabel = "CSV", required = true,
            description = "The labelled list: a CSV with a header holding path and label.")
    Path manifest;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Folder relative paths are resolved against. Default: the manifest's folder.")
    Path root;

    @Mixin
    ModelOption model;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the JSON results to this file.")
    Path jsonOut;

    @Option(names = "--report", paramLabel = "OUT.html", description = "Write an HTML report (inline SVG charts).")
    Path reportOut;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Files (with --adapt-by: groups) analysed in parallel (1-256). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--filter", paramLabel = "COLUMN=VALUES",
            description = "Only rows whose COLUMN is one of the comma-separated VALUES, e.g. corpus=emodb or "
                    + "speaker=ravdess_01,ravdess_02. Repeatable; rows must match every filter.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N",
            description = "Evaluate only the first N rows that pass the filters and have a known label.")
    Integer limit;

    @Option(names = "--adapt-by", paramLabel = "COLUMN",
            description = "Adapt to the speaker: rows with the same non-empty value in COLUMN (e.g. speaker) share "
                    + "one speaker context and are recognised in manifest order, one group at a time per thread; "
                    + "rows with an empty value are recognised alone. Needs a model with speaker contexts.")
    String adaptBy;

    @Option(names = "--predictions",
            description = "Also list each evaluated row's prediction (line, path, label, predicted, confidence, "
                    + "probabilities) under 'predictions' in the JSON.")
    boolean predictions;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Progress bar on stderr when it is a terminal (--no-progress: never). Default: on.")
    boolean progress;

    /** Creates the command; picocli fills in its fields. */
    public EvaluateCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        if (threads < 1 || threads > 256) {
            throw new CommandLine.ParameterException(cl, "--threads must be 1..256, got " + threads);
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(cl, "--limit must be at least 1, got " + limit);
        }
        Map<String, List<String>> filterMap = parseFilters(cl);
        Path base = (root != null ? root : manifest.toAbsolutePath().getParent()).normalize();
        List<Manifest.Row> rows = Manifest.read(manifest, base);
        for (String column : filterMap.keySet()) {
            if (!rows.isEmpty() && !rows.get(0).columns().containsKey(column)) {
                throw new CommandLine.ParameterException(cl, "--filter: the manifest has no column '" + column
                        + "'; it has " + rows.get(0).columns().keySet());
            }
        }
        if (adaptBy != null && !rows.isEmpty() && !rows.get(0).columns().containsKey(adaptBy.strip())) {
            throw new CommandLine.ParameterException(cl, "--adapt-by: the manifest has no column '" + adaptBy
                    + "'; it has " + rows.get(0).columns().keySet());
        }
        String adaptColumn = adaptBy == null ? null : adaptBy.strip();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (EmotionRecognizer recognizer = model.open(RecognizerOptions.defaults())) {
            ModelInfo info = recognizer.model();
            if (adaptColumn != null) {
                SpeakerContext probe;
                try {
                    probe = recognizer.newSpeakerContext();
                } catch (UnsupportedOperationException e) {
                    err.println("ser evaluate: error: --adapt-by needs a model with speaker contexts; "
                            + info.name() + " " + info.version() + " has none (" + e.getMessage() + ")");
                    return ExitCodes.MODEL;
                }
                if (!probe.adaptive()) {
                    err.println("ser evaluate: warning: " + info.name() + " does not adapt to the speaker: "
                            + "--adapt-by " + adaptColumn + " gives the same results as without it");
                }
            }
            Map<String, String> labelOf = new LinkedHashMap<>();
            for (String l : info.labels()) {
                labelOf.put(l.toLowerCase(Locale.ROOT), l);
            }
            List<Manifest.Row> usable = new ArrayList<>();
            List<String> truth = new ArrayList<>();
            Map<String, Integer> skippedLabels = new TreeMap<>();
            int skipped = 0;
            List<Integer> unlabelled = new ArrayList<>();
            for (Manifest.Row r : rows) {
                if (!matches(r, filterMap) || (limit != null && usable.size() >= limit)) {
                    continue;
                }
                if (r.label().isEmpty()) {
                    unlabelled.add(r.line());
                    continue;
                }
                String label = labelOf.get(r.label().toLowerCase(Locale.ROOT));
                if (label == null) {
                    skipped++;
                    skippedLabels.merge(r.label(), 1, Integer::sum);
                    continue;
                }
                usable.add(r);
                truth.add(label);
            }
            if (!unlabelled.isEmpty()) {
                err.println("ser evaluate: " + unlabelled.size() + " row" + (unlabelled.size() == 1 ? "" : "s")
                        + " without a label skipped (" + manifest.getFileName() + " line" + (unlabelled.size() == 1
                        ? " " : "s ") + abbreviate(unlabelled) + ")");
            }
            TrainingOverlap overlap = TrainingOverlap.of(trainingData(), usable);
            if (!overlap.isEmpty()) {
                err.println("ser evaluate: warning: " + overlap.describe(usable.size()));
            }
            // Work units: one per speaker group (its rows in manifest order), largest first so that the longest
            // sequential runs start first; then one per row recognised alone.
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            List<Integer> alone = new ArrayList<>();
            for (int i = 0; i < usable.size(); i++) {
                String key = adaptColumn == null ? "" : usable.get(i).columns().getOrDefault(adaptColumn, "");
                if (key.isEmpty()) {
                    alone.add(i);
                } else {
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                }
            }
            int unadapted = alone.size();
            List<List<Integer>> units = new ArrayList<>(groups.values());
            units.sort((a, b) -> Integer.compare(b.size(), a.size()));
            for (int i : alone) {
                units.add(List.of(i));
            }
            if (adaptColumn != null) {
                err.println("ser evaluate: adapting to the speaker by column '" + adaptColumn + "': "
                        + groups.size() + " group" + (groups.size() == 1 ? "" : "s") + (unadapted == 0 ? ""
                        : ", " + unadapted + " row" + (unadapted == 1 ? "" : "s") + " without a value recognised "
                        + "alone"));
            }
            AnalysisResult[] results = analyzeAll(new Analyzer(recognizer, StreamOptions.defaults()), usable, units,
                    groups.size(), err);

            List<String> okTruth = new ArrayList<>();
            List<String> predicted = new ArrayList<>();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            ArrayNode rowPredictions = Json.MAPPER.createArrayNode();
            List<HtmlReport.Misclassified> wrong = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                AnalysisResult r = results[i];
                if (r.ok()) {
                    okTruth.add(truth.get(i));
                    predicted.add(r.prediction().label());
                    if (predictions) {
                        ObjectNode p = rowPredictions.addObject();
                        p.put("line", usable.get(i).line());
                        p.put("path", usable.get(i).columns().getOrDefault("path", r.input()));
                        p.put("label", truth.get(i));
                        p.put("predicted", r.prediction().label());
                        p.put("confidence", r.prediction().confidence());
                        ObjectNode probs = p.putObject("probabilities");
                        float[] pr = r.prediction().probabilities();
                        for (int k = 0; k < pr.length; k++) {
                            probs.put(r.prediction().labels().get(k), pr[k]);
                        }
                    }
                    if (!r.prediction().label().equals(truth.get(i))) {
                        wrong.add(new HtmlReport.Misclassified(usable.get(i).columns().getOrDefault("path",
                                r.input()), truth.get(i), r.prediction().label(), r.prediction().confidence()));
                    }
                } else {
                    ObjectNode e = errors.addObject();
                    e.put("path", r.input());
                    e.put("line", usable.get(i).line());
                    e.put("error_type", r.errorType());
                    e.put("error", r.error());
                }
            }
            Metrics metrics = Metrics.of(info.labels(), okTruth, predicted);
            ObjectNode json = Json.MAPPER.createObjectNode();
            ObjectNode m = json.putObject("model");
            m.put("name", info.name());
            m.put("version", info.version());
            m.put("card", model.card() == null ? "embedded" : model.card().toString());
            json.put("manifest", manifest.toString());
            json.put("root", base.toString());
            json.put("skipped", skipped);
            ObjectNode sl = json.putObject("skipped_labels");
            skippedLabels.forEach(sl::put);
            json.put("unlabelled", unlabelled.size());
            json.put("adapt_by", adaptColumn);
            json.put("adapted_groups", groups.size());
            json.put("unadapted_rows", unadapted);
            if (!overlap.isEmpty()) {
                json.set("training_overlap", overlap.toJson());
            }
            json.put("failed", errors.size());
            json.setAll(metrics.toJson());
            json.set("errors", errors);
            if (predictions) {
                json.set("predictions", rowPredictions);
            }
            String text = Json.pretty(json);
            out.print(text);
            out.flush();
            if (jsonOut != null) {
                Files.writeString(jsonOut, text, StandardCharsets.UTF_8);
            }
            if (reportOut != null) {
                Map<String, String> summary = new LinkedHashMap<>();
                summary.put("model", info.name() + " " + info.version());
                summary.put("manifest", manifest.toString());
                summary.put("skipped (label unknown to the model)", skipped + (skippedLabels.isEmpty() ? ""
                        : " " + skippedLabels));
                summary.put("without a label (skipped)", Integer.toString(unlabelled.size()));
                summary.put("failed (unreadable audio)", Integer.toString(errors.size()));
                summary.put("speaker adaptation", adaptColumn == null ? "none (each file recognised alone)"
                        : "by column '" + adaptColumn + "': " + groups.size() + " group" + (groups.size() == 1 ? ""
                        : "s") + ", " + unadapted + " row" + (unadapted == 1 ? "" : "s") + " without a value "
                        + "recognised alone");
                if (!overlap.isEmpty()) {
                    summary.put("warning", overlap.describe(usable.size()));
                }
                summary.put("command", commandLine(cl));
                summary.put("date", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                Files.writeString(reportOut, HtmlReport.render("ser4j evaluation: " + info.name(), summary,
                        metrics, wrong), StandardCharsets.UTF_8);
            }
            if (!errors.isEmpty()) {
                int shown = Math.min(errors.size(), MAX_ERRORS_PRINTED);
                for (int i = 0; i < shown; i++) {
                    String path = errors.get(i).get("path").asText();
                    String error = errors.get(i).get("error").asText();
                    err.println("ser evaluate: " + (error.contains(path) ? error : path + ": " + error));
                }
                if (errors.size() > shown) {
                    err.println("ser evaluate: ... and " + (errors.size() - shown) + " more (all under 'errors')");
                }
                err.println("ser evaluate: " + errors.size() + " of " + usable.size() + " file"
                        + (usable.size() == 1 ? "" : "s") + " failed" + (errors.size() == usable.size()
                        ? ": nothing was evaluated (are the paths relative to --root"
                        + (root == null ? ", by default the manifest's folder" : "") + "?)" : ""));
            }
            if (usable.isEmpty()) {
                err.println("ser evaluate: no row to evaluate: " + rows.size() + " rows, " + skipped
                        + " with labels the model lacks (its labels: " + info.labels() + "), " + unlabelled.size()
                        + " without a label" + (filterMap.isEmpty() ? "" : ", the rest excluded by --filter"));
            }
            return errors.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    /** Failed files named on stderr at most; the JSON lists them all. */
    static final int MAX_ERRORS_PRINTED = 20;

    /** Line numbers, the first ten then a count. */
    private static String abbreviate(List<Integer> lines) {
        String head = lines.subList(0, Math.min(10, lines.size())).toString().replaceAll("[\\[\\]]", "");
        return lines.size() > 10 ? head + ", ... " + (lines.size() - 10) + " more" : head;
    }

    /** The command as typed, quoted where a shell would need it. */
    private static String commandLine(CommandLine cl) {
        StringBuilder sb = new StringBuilder("ser");
        CommandLine.ParseResult pr = cl.getParseResult();
        List<String> args = pr == null ? List.of("evaluate") : pr.originalArgs();
        if (args.isEmpty() || !args.get(0).equals("evaluate")) {
            sb.append(" evaluate");
        }
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=:,@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** The model card's {@code provenance.training_data}, or an empty array when the card has none. */
    private com.fasterxml.jackson.databind.JsonNode trainingData() {
        try {
            com.fasterxml.jackson.databind.JsonNode card;
            if (model.card() != null) {
                card = Json.MAPPER.readTree(model.card().toFile());
            } else {
                try (java.io.InputStream in = EvaluateCommand.class.getClassLoader()
                        .getResourceAsStream(DEFAULT_CARD)) {
                    if (in == null) {
                        return Json.MAPPER.createArrayNode();
                    }
                    card = Json.MAPPER.readTree(in);
                }
            }
            return card.path("provenance").path("training_data");
        } catch (IOException e) {
            return Json.MAPPER.createArrayNode(); // the model loaded: a card unreadable here only loses the warning
        }
    }

    /** The embedded default model's card (ser-model-default). */
    private static final String DEFAULT_CARD = "io/github/ser4j/defaultmodel/card.json";

    /**
     * Runs the units on the --threads pool, each unit's rows in order on one thread: each of the first {@code adapted}
     * units (a speaker group) shares one new speaker context across its rows; the others (one row each) are
     * recognised alone, as without --adapt-by.
     */
    private AnalysisResult[] analyzeAll(Analyzer analyzer, List<Manifest.Row> rows, List<List<Integer>> units,
                                        int adapted, PrintWriter err)
            throws InterruptedException {
        AnalysisResult[] results = new AnalysisResult[rows.size()];
        if (rows.isEmpty()) {
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, units.size()), r -> {
            Thread t = new Thread(r, "ser-evaluate");
            t.setDaemon(true);
            return t;
        });
        ProgressBar bar = new ProgressBar(err, progress && Terminal.isStderrTerminal(), rows.size(), 1000);
        LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        try {
            for (int u = 0; u < units.size(); u++) {
                List<Integer> unit = units.get(u);
                boolean shared = u < adapted;
                pool.execute(() -> {
                    try {
                        SpeakerContext context = shared ? analyzer.recognizer().newSpeakerContext() : null;
                        for (int index : unit) {
                            Path p = rows.get(index).path();
                            results[index] = context == null
                                    ? analyzer.analyze(p.toString(), () -> AudioSource.open(p), false)
                                    : analyzer.analyze(p.toString(), () -> AudioSource.open(p), context);
                            done.add(index);
                        }
                    } catch (Throwable t) {
                        crash.compareAndSet(null, t);
                        done.add(-1);
                    }
                });
            }
            for (int remaining = rows.size(); remaining > 0; ) {
                Integer index = done.poll(250, TimeUnit.MILLISECONDS);
                if (index == null) {
                    bar.draw();
                    continue;
                }
                if (index < 0) {
                    Throwable t = crash.get();
                    throw new IllegalStateException("evaluation crashed: " + t, t);
                }
                remaining--;
                bar.step(results[index].ok());
            }
        } finally {
            bar.clear();
            pool.shutdownNow();
        }
        return results;
    }

    private Map<String, List<String>> parseFilters(CommandLine cl) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1) {
                throw new CommandLine.ParameterException(cl, "--filter must be COLUMN=VALUE[,VALUE...], got '"
                        + f + "'");
            }
            map.put(f.substring(0, eq).strip(), List.of(f.substring(eq + 1).split(",")));
        }
        return map;
    }

    private static boolean matches(Manifest.Row r, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (!f.getValue().contains(r.columns().getOrDefault(f.getKey(), ""))) {
                return false;
            }
        }
        return true;
    }
}
