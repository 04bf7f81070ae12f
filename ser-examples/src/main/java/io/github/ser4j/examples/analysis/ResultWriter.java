package io.github.ser4j.examples.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.examples.cli.OutputFormat;
import io.github.ser4j.examples.io.Csv;
import io.github.ser4j.examples.io.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints {@link AnalysisResult}s one at a time, as they arrive, in one of the {@link OutputFormat}s. Each result is
 * written and flushed whole, so a reader sees complete lines.
 *
 * <p>CSV columns: {@code file,ok,duration_s,speech_s,windows,label,confidence,speech,p_<label>...,error_type,error}
 * ({@code speech_s}: seconds of speech found; {@code windows}: windows the file's prediction aggregates); with a
 * timeline, one row per segment with {@code start_s,end_s} instead of {@code speech_s,windows} (a file without segments gets one row with
 * empty segment fields, so that every file appears). Text is for people and may change; JSON and CSV are stable.
 *
 * <p>With {@linkplain #ResultWriter(PrintWriter, OutputFormat, boolean, List, boolean) stamps} (what
 * {@code ser analyze --output} writes), every CSV row ends with {@code size,mtime} and every JSON object has
 * {@code "size"} and {@code "mtime"} after {@code "file"}: the file's bytes and its last modification time as an
 * ISO-8601 instant ({@code 2026-12-05T00:38:47.123456789Z}), both empty (absent in JSON) when the file could not be
 * read; line breaks inside CSV cells (an error message) become spaces, so that each row is one line.
 *
 * <p>Not thread-safe: call from one thread (or synchronise).
 */
public final class ResultWriter {
    private final PrintWriter out;
    private final OutputFormat format;
    private final boolean timeline;
    private final List<String> labels;
    private final boolean stamps;
    private FileStamp stamp;
    private boolean headerDone;

    /**
     * @param out      destination
     * @param format   text, json (JSON Lines) or csv
     * @param timeline whether results are timelines
     * @param labels   the model's labels, for the CSV probability columns
     */
    public ResultWriter(PrintWriter out, OutputFormat format, boolean timeline, List<String> labels) {
        this(out, format, timeline, labels, false);
    }

    /**
     * @param out      destination
     * @param format   text, json (JSON Lines) or csv
     * @param timeline whether results are timelines
     * @param labels   the model's labels, for the CSV probability columns
     * @param stamps   whether rows carry the file's size and modification time ({@link #write(AnalysisResult,
     *                 FileStamp)})
     */
    public ResultWriter(PrintWriter out, OutputFormat format, boolean timeline, List<String> labels,
                        boolean stamps) {
        this.out = Objects.requireNonNull(out, "out");
        this.format = Objects.requireNonNull(format, "format");
        this.timeline = timeline;
        this.labels = List.copyOf(labels);
        this.stamps = stamps;
    }

    /** {@return the CSV header's cells (whatever the format)} */
    public List<String> csvColumns() {
        List<String> cols = new ArrayList<>(List.of("file", "ok", "duration_s"));
        if (timeline) {
            cols.add("start_s");
            cols.add("end_s");
        } else {
            cols.add("speech_s");
            cols.add("windows");
        }
        cols.addAll(List.of("label", "confidence", "speech"));
        for (String l : labels) {
            cols.add("p_" + l);
        }
        cols.add("error_type");
        cols.add("error");
        if (stamps) {
            cols.add("size");
            cols.add("mtime");
        }
        return cols;
    }

    /** Writes the CSV header now (also done by the first {@link #write}); nothing for other formats. */
    public void header() {
        if (headerDone || format != OutputFormat.csv) {
            headerDone = true;
            return;
        }
        headerDone = true;
        out.println(Csv.row(csvColumns()));
        check();
    }

    /**
     * @param r a result to print now; written and flushed before this returns
     * @throws UncheckedIOException if the output reports a write error ({@link PrintWriter#checkError()}), so that
     *                              a batch stops instead of losing its results silently
     */
    public void write(AnalysisResult r) {
        write(r, null);
    }

    /**
     * @param r     a result to print now; written and flushed before this returns
     * @param stamp the file's size and modification time, written when this writer has stamps; null when unknown
     * @throws UncheckedIOException as {@link #write(AnalysisResult)}
     */
    public void write(AnalysisResult r, FileStamp stamp) {
        this.stamp = stamp;
        header();
        switch (format) {
            case json -> out.println(Json.line(json(r)));
            case csv -> writeCsv(r);
            default -> writeText(r);
        }
        check();
    }

    private ObjectNode json(AnalysisResult r) {
        ObjectNode o = ResultJson.of(r);
        if (!stamps) {
            return o;
        }
        ObjectNode stamped = Json.MAPPER.createObjectNode();
        stamped.set("file", o.remove("file"));
        if (stamp != null) {
            stamped.put("size", stamp.size());
            stamped.put("mtime", stamp.mtime().toString());
        }
        stamped.setAll(o);
        return stamped;
    }

    private void csv(List<String> cols) {
        if (stamps) {
            // one row per line, so that a resumed file can be read line by line
            cols = new ArrayList<>(cols.stream().map(c -> c == null ? "" : c.replaceAll("[\\r\\n]+", " ")).toList());
            cols.add(stamp == null ? "" : Long.toString(stamp.size()));
            cols.add(stamp == null ? "" : stamp.mtime().toString());
        }
        out.println(Csv.row(cols));
    }

    private void check() {
        if (out.checkError()) { // flushes, then tells whether any write so far failed
            throw new UncheckedIOException(new IOException("cannot write the results (disk full or pipe closed?); "
                    + "the output is incomplete"));
        }
    }

    private void writeCsv(AnalysisResult r) {
        if (!r.ok()) {
            List<String> cols = new ArrayList<>(List.of(r.input(), "false", ""));
            int blanks = 2 + 3 + labels.size(); // start_s,end_s or speech_s,windows
            for (int i = 0; i < blanks; i++) {
                cols.add("");
            }
            cols.add(r.errorType());
            cols.add(r.error());
            csv(cols);
            return;
        }
        if (!r.isTimeline()) {
            csv(predictionRow(r, null, r.prediction()));
            return;
        }
        if (r.segments().isEmpty()) {
            List<String> cols = new ArrayList<>(List.of(r.input(), "true", num(r.duration()), "", ""));
            for (int i = 0; i < 3 + labels.size() + 2; i++) {
                cols.add("");
            }
            csv(cols);
            return;
        }
        for (EmotionSegment s : r.segments()) {
            csv(predictionRow(r, s, s.prediction()));
        }
    }

    private List<String> predictionRow(AnalysisResult r, EmotionSegment s, EmotionPrediction p) {
        List<String> cols = new ArrayList<>(List.of(r.input(), "true", num(r.duration())));
        if (s != null) {
            cols.add(num(s.startSeconds()));
            cols.add(num(s.endSeconds()));
        } else {
            cols.add(num(r.speech()));
            cols.add(Integer.toString(r.windows()));
        }
        cols.add(p.label());
        cols.add(prob(p.confidence()));
        cols.add(Boolean.toString(p.isSpeech()));
        float[] probs = p.probabilities();
        for (String l : labels) {
            int i = p.labels().indexOf(l);
            cols.add(i < 0 ? "" : prob(probs[i]));
        }
        cols.add("");
        cols.add("");
        return cols;
    }

    private void writeText(AnalysisResult r) {
        if (!r.ok()) {
            out.println(r.input() + "  ERROR  " + r.errorType() + ": " + r.error());
            return;
        }
        if (!r.isTimeline()) {
            out.println(r.input() + "  " + summary(r.prediction()) + String.format(Locale.ROOT,
                    "  (%.2f s, %.2f s speech, %d window%s)", r.duration(), r.speech(), r.windows(),
                    r.windows() == 1 ? "" : "s") + probabilities(r.prediction()));
            return;
        }
        out.println(r.input() + String.format(Locale.ROOT, "  (%.2f s, %d segments)", r.duration(),
                r.segments().size()));
        for (EmotionSegment s : r.segments()) {
            out.println(String.format(Locale.ROOT, "  %7.2f - %7.2f s  ", s.startSeconds(), s.endSeconds())
                    + summary(s.prediction()) + probabilities(s.prediction()));
        }
    }

    private static String summary(EmotionPrediction p) {
        return p.isSpeech() ? String.format(Locale.ROOT, "%-10s %.2f", p.label(), p.confidence())
                : String.format(Locale.ROOT, "%-10s     ", p.label());
    }

    private static String probabilities(EmotionPrediction p) {
        if (!p.isSpeech()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("  [");
        float[] probs = p.probabilities();
        for (int i = 0; i < probs.length; i++) {
            sb.append(i == 0 ? "" : " ").append(p.labels().get(i)).append('=')
                    .append(String.format(Locale.ROOT, "%.2f", probs[i]));
        }
        return sb.append(']').toString();
    }

    private static String num(double seconds) {
        return Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String prob(float p) {
        return Float.toString(p);
    }
}
