package io.github.ser4j.examples.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML evaluation report: summary table with the chance levels, confusion matrix and per-class
 * precision/recall/F1 bars as inline SVG sized to the page, and the misclassified files. Classes without support
 * (no row of that label) are left out of the charts and tables, and named. No scripts, fonts or styles from the
 * network, so it opens offline. Stateless and thread-safe.
 */
public final class HtmlReport {
    private static final int CELL = 56;
    /** Misclassified files listed at most; the count of the rest is given. */
    static final int MAX_MISCLASSIFIED = 500;

    /**
     * A row the model got wrong.
     *
     * @param path       the audio file as the manifest names it
     * @param truth      the true label
     * @param predicted  the predicted label ({@code no_speech} included)
     * @param confidence the predicted label's probability
     */
    public record Misclassified(String path, String truth, String predicted, double confidence) {
    }
    private static final String[] BAR_COLORS = {"#4e79a7", "#f28e2b", "#59a14f"};

    private HtmlReport() {
    }

    /**
     * @param title   page title (e.g. the model's name)
     * @param summary facts to list above the charts (model, manifest, skipped rows...), in order
     * @param m       the metrics
     * @return the HTML document
     */
    public static String render(String title, Map<String, String> summary, Metrics m) {
        return render(title, summary, m, List.of());
    }

    /**
     * @param title         page title (e.g. the model's name)
     * @param summary       facts to list above the charts (model, manifest, command, date, skipped rows...), in order
     * @param m             the metrics
     * @param misclassified the rows predicted wrongly, listed after the charts
     * @return the HTML document
     */
    public static String render(String title, Map<String, String> summary, Metrics m,
                                List<Misclassified> misclassified) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;")
                .append("color:#222;max-width:1100px}\n")
                .append("svg.chart{display:block;width:100%;height:auto}\n")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .7rem;")
                .append("border-bottom:1px solid #ddd;text-align:left}th{background:#f4f4f4}\n")
                .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("svg text{font-family:inherit;font-size:12px}\n</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<table>\n");
        for (Map.Entry<String, String> e : summary.entrySet()) {
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("<tr><th>evaluated (n)</th><td>").append(m.n()).append("</td></tr>\n")
                .append("<tr><th>accuracy</th><td>").append(pct(m.accuracy())).append("</td></tr>\n")
                .append("<tr><th>UAR (unweighted average recall)</th><td>").append(pct(m.uar()))
                .append("</td></tr>\n")
                .append("<tr><th>macro F1</th><td>").append(pct(m.macroF1())).append("</td></tr>\n");
        List<Integer> present = present(m);
        if (!present.isEmpty()) {
            int majority = present.stream().mapToInt(m::support).max().orElse(0);
            h.append("<tr><th>chance level</th><td>UAR ").append(pct(1.0 / present.size())).append(" (1 of ")
                    .append(present.size()).append(" classes); accuracy ").append(pct(majority / (double) m.n()))
                    .append(" (always the most frequent class)</td></tr>\n");
        }
        h.append("</table>\n");
        List<String> absent = new java.util.ArrayList<>();
        for (int c = 0; c < m.labels().size(); c++) {
            if (m.support(c) == 0) {
                absent.add(m.labels().get(c));
            }
        }
        if (!absent.isEmpty()) {
            h.append("<p>Classes with no row here, left out below: ").append(esc(String.join(", ", absent)))
                    .append(".</p>\n");
        }

        h.append("<h2>Confusion matrix</h2>\n<p>Rows: true label; columns: predicted label. Colour: share of the ")
                .append("row (recall).</p>\n");
        confusion(h, m);
        h.append("<h2>Per class</h2>\n");
        bars(h, m);
        h.append("<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        List<String> labels = m.labels();
        for (int c : present) {
            h.append("<tr><td>").append(esc(labels.get(c))).append("</td><td class=\"num\">")
                    .append(fmt(m.precision(c))).append("</td><td class=\"num\">").append(fmt(m.recall(c)))
                    .append("</td><td class=\"num\">").append(fmt(m.f1(c))).append("</td><td class=\"num\">")
                    .append(m.support(c)).append("</td></tr>\n");
        }
        h.append("</table>\n");
        misclassified(h, misclassified);
        h.append("<p><small>Generated by ser4j <code>ser evaluate</code>.</small></p>\n</body></html>\n");
        return h.toString();
    }

    /** {@return the indices of the labels with support, in label order} */
    private static List<Integer> present(Metrics m) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int c = 0; c < m.labels().size(); c++) {
            if (m.support(c) > 0) {
                out.add(c);
            }
        }
        return out;
    }

    private static void misclassified(StringBuilder h, List<Misclassified> rows) {
        h.append("<h2>Misclassified files (").append(rows.size()).append(")</h2>\n");
        if (rows.isEmpty()) {
            h.append("<p>None.</p>\n");
            return;
        }
        h.append("<table id=\"misclassified\"><tr><th>file</th><th>true</th><th>predicted</th>")
                .append("<th>confidence</th></tr>\n");
        for (Misclassified r : rows.subList(0, Math.min(rows.size(), MAX_MISCLASSIFIED))) {
            h.append("<tr><td>").append(esc(r.path())).append("</td><td>").append(esc(r.truth()))
                    .append("</td><td>").append(esc(r.predicted())).append("</td><td class=\"num\">")
                    .append(pct(r.confidence())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (rows.size() > MAX_MISCLASSIFIED) {
            h.append("<p>&hellip; and ").append(rows.size() - MAX_MISCLASSIFIED).append(" more.</p>\n");
        }
    }

    private static void confusion(StringBuilder h, Metrics m) {
        List<String> labels = m.labels();
        int k = labels.size();
        List<Integer> rowsShown = present(m);
        // columns: the classes with support, and any other class the model predicted
        List<Integer> colsShown = new java.util.ArrayList<>();
        boolean noSpeech = false;
        for (int p = 0; p < k; p++) {
            int predicted = 0;
            for (int t = 0; t < k; t++) {
                predicted += m.confusion(t, p);
            }
            if (m.support(p) > 0 || predicted > 0) {
                colsShown.add(p);
            }
            noSpeech |= m.noSpeech(p) > 0;
        }
        if (noSpeech) {
            colsShown.add(k);
        }
        int cols = colsShown.size();
        int left = 120;
        int top = 110;
        int width = left + cols * CELL + 90; // room for the last rotated header
        int height = top + rowsShown.size() * CELL + 10;
        h.append("<svg id=\"confusion\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" style=\"max-width:").append(Math.max(7 * width / 5, 760))
                .append("px\" role=\"img\" aria-label=\"confusion matrix\">\n");
        for (int i = 0; i < cols; i++) {
            int p = colsShown.get(i);
            String name = p < k ? labels.get(p) : "no_speech";
            int x = left + i * CELL + CELL / 2;
            h.append("<text transform=\"translate(").append(x).append(',').append(top - 6)
                    .append(") rotate(-45)\">").append(esc(name)).append("</text>\n");
        }
        h.append("<text x=\"").append(left + cols * CELL / 2).append("\" y=\"12\" text-anchor=\"middle\" ")
                .append("font-weight=\"bold\">predicted</text>\n")
                .append("<text x=\"8\" y=\"").append(top - 8).append("\" font-weight=\"bold\">true</text>\n");
        for (int j = 0; j < rowsShown.size(); j++) {
            int t = rowsShown.get(j);
            int y = top + j * CELL;
            h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + CELL / 2 + 4)
                    .append("\" text-anchor=\"end\">").append(esc(labels.get(t))).append("</text>\n");
            int support = m.support(t);
            for (int i = 0; i < cols; i++) {
                int p = colsShown.get(i);
                int count = p < k ? m.confusion(t, p) : m.noSpeech(t);
                double share = support == 0 ? 0 : count / (double) support;
                int x = left + i * CELL;
                h.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(CELL)
                        .append("\" height=\"").append(CELL).append("\" fill=\"").append(blue(share))
                        .append("\" stroke=\"#fff\"><title>").append(esc(labels.get(t))).append(" \u2192 ")
                        .append(esc(p < k ? labels.get(p) : "no_speech")).append(": ").append(count)
                        .append("</title></rect>\n");
                h.append("<text x=\"").append(x + CELL / 2).append("\" y=\"").append(y + CELL / 2 + 4)
                        .append("\" text-anchor=\"middle\" fill=\"").append(share > 0.5 ? "#fff" : "#222")
                        .append("\">").append(count).append("</text>\n");
            }
        }
        h.append("</svg>\n");
    }

    private static void bars(StringBuilder h, Metrics m) {
        List<String> labels = m.labels();
        List<Integer> shown = present(m);
        int k = shown.size();
        int left = 110;
        int barWidth = 400;
        int group = 3 * 12 + 10;
        int top = 30;
        int height = top + k * group + 30;
        h.append("<svg id=\"per-class\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(left + barWidth + 60).append(' ').append(height).append("\" style=\"max-width:")
                .append(7 * (left + barWidth + 60) / 5).append("px\" role=\"img\" aria-label=\"per-class metrics\">\n");
        String[] names = {"precision", "recall", "F1"};
        for (int i = 0; i < 3; i++) {
            int x = left + i * 110;
            h.append("<rect x=\"").append(x).append("\" y=\"6\" width=\"12\" height=\"12\" fill=\"")
                    .append(BAR_COLORS[i]).append("\"/><text x=\"").append(x + 16).append("\" y=\"16\">")
                    .append(names[i]).append("</text>\n");
        }
        for (int row = 0; row < k; row++) {
            int c = shown.get(row);
            int y = top + row * group;
            h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 22)
                    .append("\" text-anchor=\"end\">").append(esc(labels.get(c))).append("</text>\n");
            double[] values = {m.precision(c), m.recall(c), m.f1(c)};
            for (int i = 0; i < 3; i++) {
                int w = (int) Math.round(values[i] * barWidth);
                int by = y + i * 12;
                h.append("<rect class=\"bar\" x=\"").append(left).append("\" y=\"").append(by).append("\" width=\"")
                        .append(w).append("\" height=\"11\" fill=\"").append(BAR_COLORS[i]).append("\"><title>")
                        .append(esc(labels.get(c))).append(' ').append(names[i]).append(' ').append(fmt(values[i]))
                        .append("</title></rect><text x=\"").append(left + w + 4).append("\" y=\"").append(by + 10)
                        .append("\" font-size=\"10\">").append(fmt(values[i])).append("</text>\n");
            }
        }
        int axis = top + k * group;
        h.append("<line x1=\"").append(left).append("\" y1=\"").append(axis).append("\" x2=\"")
                .append(left + barWidth).append("\" y2=\"").append(axis).append("\" stroke=\"#888\"/>\n");
        for (int t = 0; t <= 4; t++) {
            int x = left + t * barWidth / 4;
            h.append("<text x=\"").append(x).append("\" y=\"").append(axis + 16).append("\" text-anchor=\"middle\">")
                    .append(String.format(Locale.ROOT, "%.2f", t / 4.0)).append("</text>\n");
        }
        h.append("</svg>\n");
    }

    private static String blue(double share) {
        // From white (0) to a dark blue (1).
        int r = (int) Math.round(255 - share * (255 - 8));
        int g = (int) Math.round(255 - share * (255 - 69));
        int b = (int) Math.round(255 - share * (255 - 148));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    /**
     * @param s text
     * @return it escaped for HTML text and attribute values
     */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
