package io.github.ser4j.examples.cli;

import io.github.ser4j.api.StreamOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Windowing options of the commands that produce timelines ({@code analyze --timeline}, {@code live}). */
public final class StreamingOptions {
    @Option(names = "--window", paramLabel = "S",
            description = "Timeline window in seconds. Default: the model card's streaming window.")
    Double window;

    @Option(names = "--hop", paramLabel = "S",
            description = "Timeline hop between window starts in seconds (at most --window). Default: the model "
                    + "card's streaming hop.")
    Double hop;

    @Option(names = "--no-vad", negatable = false,
            description = "Score every window, also silent ones (default: windows without speech are skipped).")
    boolean noVad;

    @Option(names = "--smoothing", paramLabel = "N", defaultValue = "1",
            description = "Average the probabilities of N consecutive windows (1-100). Default: ${DEFAULT-VALUE}.")
    int smoothing;

    /** Creates the options; picocli fills them in. */
    public StreamingOptions() {
    }

    /**
     * @param cl          the command line, for error reports
     * @param silenceStop seconds of silence that end the stream, or infinity
     * @return the stream options
     * @throws CommandLine.ParameterException if the values are out of range
     */
    public StreamOptions build(CommandLine cl, double silenceStop) {
        try {
            StreamOptions.Builder b = StreamOptions.builder().vadEnabled(!noVad).smoothing(smoothing)
                    .silenceStopSeconds(silenceStop);
            if (window != null) {
                b.windowSeconds(window);
            }
            if (hop != null) {
                b.hopSeconds(hop);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "invalid timeline options: " + e.getMessage(), e);
        }
    }
}
