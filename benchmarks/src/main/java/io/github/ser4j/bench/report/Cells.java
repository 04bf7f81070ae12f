package io.github.ser4j.bench.report;

import io.github.ser4j.bench.report.JmhResults.Result;
import io.github.ser4j.bench.report.LibrosaResults.Timing;

import java.util.Locale;
import java.util.Optional;

/**
 * The table cells of {@link ResultsReport}: times with three significant digits, byte counts, ratios with their
 * speed-up, percentages and the reason a result is missing. Stateless.
 */
final class Cells {
    private Cells() {
    }

    static String pctOf(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    static String na(String why) {
        // "java.lang.IllegalStateException: message" -> "message"
        String s = why.replaceFirst("^[\\w.$]+(Exception|Error): ", "").replace("|", "/").replace("\n", " ");
        if (s.length() > 110) {
            s = s.substring(0, 107) + "...";
        }
        return "n/a: " + s;
    }

    static String libCell(Optional<Timing> t) {
        return t.map(x -> time(x.minMicros()) + " / " + time(x.medianMicros())).orElse("n/a");
    }

    static String alloc(Optional<Result> r) {
        return r.map(x -> fmtBytes(x.bytesPerOp())).orElse("");
    }

    static String pct(Result r, double p) {
        Double v = r.percentiles().get(p);
        return v == null ? "" : time(v);
    }

    static String ratio(Optional<Result> ours, Optional<Double> peerMicros) {
        if (ours.isEmpty() || peerMicros.isEmpty()) {
            return "";
        }
        double ratio = ours.get().micros() / peerMicros.get();
        return fmt2(ratio) + (ratio <= 1 ? " (" + fmt1(1 / ratio) + "x faster)" : " (" + fmt1(ratio) + "x slower)");
    }

    static String time(double micros) {
        if (Double.isNaN(micros)) {
            return "?";
        }
        if (micros >= 1e6) {
            return sig3(micros / 1e6) + " s";
        }
        if (micros >= 1e3) {
            return sig3(micros / 1e3) + " ms";
        }
        if (micros >= 1) {
            return sig3(micros) + " µs";
        }
        return String.format(Locale.ROOT, "%.0f ns", micros * 1e3);
    }

    /** Three significant digits without exponent, for values in [1, 1000). */
    private static String sig3(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    static String fmtBytes(double b) {
        if (Double.isNaN(b)) {
            return "?";
        }
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024 * 1024));
    }

    static String fmtBytesPrecise(double b) {
        return Double.isNaN(b) ? "?" : b < 10 ? String.format(Locale.ROOT, "%.3f B", b) : fmtBytes(b);
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static double parseOr(String s, double fallback) {
        try {
            return s == null ? fallback : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
