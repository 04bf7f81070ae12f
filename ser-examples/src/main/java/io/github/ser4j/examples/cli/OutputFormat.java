package io.github.ser4j.examples.cli;

/** How a command prints its results. */
public enum OutputFormat {
    /** Aligned, human-readable lines. */
    text,
    /** JSON Lines: one JSON object per line (streamable; parse line by line). */
    json,
    /** Comma-separated values with a header row (RFC 4180 quoting). */
    csv
}
