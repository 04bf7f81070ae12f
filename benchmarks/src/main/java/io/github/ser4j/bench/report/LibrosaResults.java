package io.github.ser4j.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The timings {@code librosa_bench.py} wrote, or none when Python was not available (the report then says so).
 *
 * <p>Thread-safety: immutable.
 */
public final class LibrosaResults {
    /**
     * @param minMicros    fastest per-call time over the repeats, microseconds
     * @param medianMicros median per-call time over the repeats, microseconds
     */
    public record Timing(double minMicros, double medianMicros) {
    }

    private final JsonNode root;
    private final String unavailable;

    private LibrosaResults(JsonNode root, String unavailable) {
        this.root = root;
        this.unavailable = unavailable;
    }

    /**
     * @param json the script's output, or null
     * @param why  why there is no output when the file is missing (e.g. the pip error), or null
     * @return the results
     * @throws IOException if the file exists but cannot be parsed
     */
    public static LibrosaResults read(Path json, String why) throws IOException {
        if (json == null || !Files.exists(json)) {
            return new LibrosaResults(null, why == null || why.isBlank() ? "librosa was not run" : why);
        }
        return parse(Files.readString(json));
    }

    /**
     * @param json the script's output text
     * @return the results
     * @throws IOException if the JSON is malformed
     */
    public static LibrosaResults parse(String json) throws IOException {
        return new LibrosaResults(new ObjectMapper().readTree(json), null);
    }

    /** {@return why there are no librosa numbers, if there are none} */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /** {@return e.g. {@code "librosa 0.11.0, numpy 2.4.6, soxr 1.1.0, Python 3.11.7"}, or empty} */
    public String versions() {
        if (root == null) {
            return "";
        }
        return "librosa " + root.path("librosa").asText() + ", numpy " + root.path("numpy").asText() + ", scipy "
                + root.path("scipy").asText() + ", soxr " + root.path("soxr").asText() + ", Python "
                + root.path("python").asText();
    }

    /**
     * @param op      operation name ({@code mfcc}, {@code mfcc_deltas}, {@code melspectrogram}, {@code stft_power},
     *                {@code resample})
     * @param seconds input duration
     * @param fromHz  input rate for {@code resample}, else 0
     * @return the timing, if measured
     */
    public Optional<Timing> find(String op, int seconds, int fromHz) {
        if (root == null) {
            return Optional.empty();
        }
        for (JsonNode r : root.path("results")) {
            if (r.path("op").asText().equals(op) && r.path("seconds").asInt() == seconds
                    && (fromHz == 0 || r.path("from_hz").asInt() == fromHz)) {
                return Optional.of(new Timing(r.path("min_ms").asDouble() * 1e3,
                        r.path("median_ms").asDouble() * 1e3));
            }
        }
        return Optional.empty();
    }
}
