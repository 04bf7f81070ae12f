package io.github.ser4j.examples.io;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal ({@code \r}). It stays invisible for batches that finish
 * within {@code delayMillis}, and steps aside ({@link #clear()}) while results are printed.
 *
 * <p>Not thread-safe: use from the thread that prints results.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private final long total;
    private final long delayNanos;
    private final long start = System.nanoTime();
    private long done;
    private long failed;
    private boolean visible;

    /**
     * @param err         the terminal stream
     * @param enabled     whether to draw at all
     * @param total       number of items
     * @param delayMillis how long to wait before the first draw
     */
    public ProgressBar(PrintWriter err, boolean enabled, long total, long delayMillis) {
        this.err = err;
        this.enabled = enabled;
        this.total = total;
        this.delayNanos = delayMillis * 1_000_000L;
    }

    /** Erases the bar, if drawn, so that the next line of output starts clean. */
    public void clear() {
        if (visible) {
            err.print("\r\033[K");
            err.flush();
            visible = false;
        }
    }

    /**
     * Counts one finished item and redraws.
     *
     * @param ok whether it succeeded
     */
    public void step(boolean ok) {
        done++;
        if (!ok) {
            failed++;
        }
        draw();
    }

    /** Redraws the bar if enabled and past the delay. */
    public void draw() {
        long elapsed = System.nanoTime() - start;
        if (!enabled || elapsed < delayNanos || done >= total) {
            return;
        }
        int filled = (int) (WIDTH * done / Math.max(1, total));
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        long seconds = elapsed / 1_000_000_000L;
        err.print(String.format(Locale.ROOT, "\r[%s] %d/%d files, %d failed, %d:%02d", bar, done, total, failed,
                seconds / 60, seconds % 60));
        err.flush();
        visible = true;
    }
}
