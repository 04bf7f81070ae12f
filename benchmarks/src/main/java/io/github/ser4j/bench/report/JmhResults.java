package io.github.ser4j.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The results of one JMH run ({@code -rf json}), indexed by benchmark and parameters, plus the failures its log
 * reports (a benchmark whose setup throws has no result; its message says why).
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class JmhResults {

    /**
     * One benchmark result.
     *
     * @param benchmark   {@code SimpleClassName.method}
     * @param params      JMH parameters
     * @param mode        JMH mode ({@code avgt}, {@code sample}, ...)
     * @param micros      mean time per operation in microseconds
     * @param errorMicros half-width of JMH's 99.9 % confidence interval, in microseconds (NaN if unknown)
     * @param percentiles percentile (e.g. {@code 50.0}) to microseconds; empty unless sampled
     * @param bytesPerOp  {@code gc.alloc.rate.norm} (NaN without {@code -prof gc})
     */
    public record Result(String benchmark, Map<String, String> params, String mode, double micros,
                         double errorMicros, Map<Double, Double> percentiles, double bytesPerOp) {
    }

    private final List<Result> results;
    private final Map<String, String> failures;

    private JmhResults(List<Result> results, Map<String, String> failures) {
        this.results = List.copyOf(results);
        this.failures = Collections.unmodifiableMap(failures);
    }

    /** {@return no results (a pass that did not run)} */
    public static JmhResults none() {
        return new JmhResults(List.of(), Map.of());
    }

    /**
     * @param json JMH's JSON result file, or null if the run produced none
     * @param log  the run's console log, or null
     * @return the parsed results
     * @throws IOException if a file cannot be read or the JSON is malformed
     */
    public static JmhResults read(Path json, Path log) throws IOException {
        String jsonText = json != null && Files.exists(json) ? Files.readString(json) : "[]";
        String logText = log != null && Files.exists(log) ? Files.readString(log) : "";
        return parse(jsonText, logText);
    }

    /**
     * @param json JMH JSON text
     * @param log  console log text (may be empty)
     * @return the parsed results
     * @throws IOException if the JSON is malformed
     */
    public static JmhResults parse(String json, String log) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.isBlank() ? "[]" : json);
        List<Result> list = new ArrayList<>();
        for (JsonNode n : root) {
            String full = n.path("benchmark").asText();
            Map<String, String> params = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.path("params").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode primary = n.path("primaryMetric");
            double scale = toMicros(primary.path("scoreUnit").asText());
            double error = primary.path("scoreError").asDouble(Double.NaN);
            Map<Double, Double> percentiles = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> pit = primary.path("scorePercentiles").fields();
            boolean sampled = "sample".equals(n.path("mode").asText());
            while (sampled && pit.hasNext()) {
                Map.Entry<String, JsonNode> e = pit.next();
                percentiles.put(Double.parseDouble(e.getKey()), e.getValue().asDouble() * scale);
            }
            JsonNode alloc = n.path("secondaryMetrics").path("gc.alloc.rate.norm");
            list.add(new Result(shortName(full), params, n.path("mode").asText(),
                    primary.path("score").asDouble() * scale, error * scale, percentiles,
                    alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
        }
        return new JmhResults(list, failures(log));
    }

    /**
     * @param benchmark {@code SimpleClassName.method}
     * @param params    alternating parameter names and values that must match (others are ignored)
     * @return the result, if the run has it
     */
    public Optional<Result> find(String benchmark, String... params) {
        return findInMode(benchmark, null, params);
    }

    /**
     * @param benchmark {@code SimpleClassName.method}
     * @param mode      JMH mode ({@code avgt}, {@code sample}), or null for any
     * @param params    alternating parameter names and values that must match (others are ignored)
     * @return the result, if the run has it
     */
    public Optional<Result> findInMode(String benchmark, String mode, String... params) {
        outer:
        for (Result r : results) {
            if (!r.benchmark.equals(benchmark) || (mode != null && !mode.equals(r.mode))) {
                continue;
            }
            for (int i = 0; i + 1 < params.length; i += 2) {
                if (!params[i + 1].equals(r.params.get(params[i]))) {
                    continue outer;
                }
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    /** {@return every result, in run order} */
    public List<Result> all() {
        return results;
    }

    /**
     * @param benchmark {@code SimpleClassName.method}
     * @return the first error message the log gives for that benchmark (any parameters), if it failed
     */
    public Optional<String> failure(String benchmark) {
        return Optional.ofNullable(failures.get(benchmark));
    }

    private static final Pattern BENCHMARK_LINE = Pattern.compile("^# Benchmark: (\\S+)", Pattern.MULTILINE);

    /** JMH prints "# Benchmark: pkg.Class.method", then on failure "<failure>" and the exception's stack trace. */
    static Map<String, String> failures(String log) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = BENCHMARK_LINE.matcher(log);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            names.add(shortName(m.group(1)));
        }
        for (int i = 0; i < starts.size(); i++) {
            int from = starts.get(i)[0];
            int to = i + 1 < starts.size() ? starts.get(i + 1)[0] : log.length();
            String section = log.substring(from, to);
            int f = section.indexOf("<failure>");
            if (f < 0 || out.containsKey(names.get(i))) {
                continue;
            }
            for (String line : section.substring(f + "<failure>".length()).split("\\R")) {
                String s = line.strip();
                if (!s.isEmpty()) {
                    out.put(names.get(i), rootMessage(section.substring(f), s));
                    break;
                }
            }
        }
        return out;
    }

    /** Prefers the innermost "Caused by:" message, which is usually the one that explains. */
    private static String rootMessage(String section, String first) {
        String best = first;
        for (String line : section.split("\\R")) {
            String s = line.strip();
            if (s.startsWith("Caused by: ")) {
                best = s.substring("Caused by: ".length());
            }
            if (s.startsWith("# Run complete") || s.startsWith("# Warmup")) {
                break;
            }
        }
        return best;
    }

    static String shortName(String full) {
        int method = full.lastIndexOf('.');
        int cls = method > 0 ? full.lastIndexOf('.', method - 1) : -1;
        return full.substring(cls + 1);
    }

    private static double toMicros(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-3;
            case "us/op" -> 1;
            case "ms/op" -> 1e3;
            case "s/op" -> 1e6;
            default -> throw new IllegalArgumentException("unsupported JMH score unit '" + unit
                    + "': the benchmarks report time per operation");
        };
    }
}
