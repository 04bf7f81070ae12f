package io.github.ser4j.spark;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SerSpark#run} did. Immutable and thread-safe.
 *
 * @param listed      files found under the input
 * @param skipped     of those, files already in the output (resume)
 * @param ok          files analysed in this run
 * @param failed      files this run could not analyse ({@code ok = false} rows)
 * @param batches     batches committed in this run
 * @param audioSeconds seconds of audio analysed in this run
 * @param speechSeconds seconds of speech among them
 * @param labels      files of this run per file-level label, sorted by label
 * @param wallSeconds wall-clock seconds of the run
 */
public record RunSummary(long listed, long skipped, long ok, long failed, int batches, double audioSeconds,
                         double speechSeconds, Map<String, Long> labels, double wallSeconds) {
    /** Copies the label counts. */
    public RunSummary {
        labels = Map.copyOf(labels);
    }

    /** {@return files analysed or failed in this run} */
    public long processed() {
        return ok + failed;
    }

    /** {@return a few human-readable lines} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "files: %d listed, %d skipped (already in the output), %d analysed, "
                + "%d failed%n", listed, skipped, ok, failed));
        s.append(String.format(Locale.ROOT, "audio: %.1f s, of which speech %.1f s; %d batch(es) in %.1f s "
                + "(%.2f files/s)%n", audioSeconds, speechSeconds, batches, wallSeconds,
                wallSeconds > 0 ? processed() / wallSeconds : 0.0));
        if (!labels.isEmpty()) {
            s.append("labels:");
            new TreeMap<>(labels).forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
            s.append(System.lineSeparator());
        }
        return s.toString();
    }
}
