package io.github.ser4j.spark;

import io.github.ser4j.api.StreamOptions;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@link SerSpark} analyses and how: the model, which files, the streaming windows and the batch size.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class SerSparkOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final SerSparkOptions DEFAULTS = builder().build();

    /** Default of {@link #maxFileBytes()}: 512 MiB (Spark's {@code binaryFile} source cannot exceed 2 GiB). */
    public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;
    /** Default of {@link #batchFiles()}. */
    public static final int DEFAULT_BATCH_FILES = 1000;

    private final String modelCard;
    private final String pathGlobFilter;
    private final boolean recursive;
    private final double windowSeconds;
    private final double hopSeconds;
    private final long maxFileBytes;
    private final int batchFiles;
    private final boolean resume;

    private SerSparkOptions(Builder b) {
        this.modelCard = b.modelCard;
        this.pathGlobFilter = b.pathGlobFilter;
        this.recursive = b.recursive;
        this.windowSeconds = b.windowSeconds;
        this.hopSeconds = b.hopSeconds;
        this.maxFileBytes = b.maxFileBytes;
        this.batchFiles = b.batchFiles;
        this.resume = b.resume;
    }

    /** {@return the default model, every file under the input, the card's windows, no resume} */
    public static SerSparkOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the model card (a local file on the driver), or empty for the default model of
     * {@code ser-model-default}
     */
    public Optional<Path> modelCard() {
        return Optional.ofNullable(modelCard).map(Path::of);
    }

    /** {@return the file-name glob files must match, e.g. {@code "*.wav"}, or empty for every file} */
    public Optional<String> pathGlobFilter() {
        return Optional.ofNullable(pathGlobFilter);
    }

    /** {@return whether folders are searched recursively (default true)} */
    public boolean recursive() {
        return recursive;
    }

    /** {@return the streaming window, if set; otherwise the model card's} */
    public OptionalDouble windowSeconds() {
        return Double.isNaN(windowSeconds) ? OptionalDouble.empty() : OptionalDouble.of(windowSeconds);
    }

    /** {@return the streaming hop, if set; otherwise the model card's} */
    public OptionalDouble hopSeconds() {
        return Double.isNaN(hopSeconds) ? OptionalDouble.empty() : OptionalDouble.of(hopSeconds);
    }

    /** {@return the largest file analysed; larger files get an error row without being read} */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** {@return how many files {@link SerSpark#run} analyses and commits per batch (its unit of resumption)} */
    public int batchFiles() {
        return batchFiles;
    }

    /** {@return whether {@link SerSpark#run} skips files already in the output (same path, size, modification time)} */
    public boolean resume() {
        return resume;
    }

    /** {@return {@link StreamOptions#defaults()} with this window and hop where they are set} */
    StreamOptions streamOptions() {
        return streamOptions(windowSeconds, hopSeconds);
    }

    /**
     * {@return {@link StreamOptions#defaults()} with {@code window} and {@code hop} set where they are not NaN}
     *
     * @throws IllegalArgumentException as {@link StreamOptions.Builder} refuses them, with its message
     */
    private static StreamOptions streamOptions(double window, double hop) {
        StreamOptions.Builder b = StreamOptions.builder();
        if (!Double.isNaN(window)) {
            b.windowSeconds(window);
        }
        if (!Double.isNaN(hop)) {
            b.hopSeconds(hop);
        }
        return b.build();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.modelCard = modelCard;
        b.pathGlobFilter = pathGlobFilter;
        b.recursive = recursive;
        b.windowSeconds = windowSeconds;
        b.hopSeconds = hopSeconds;
        b.maxFileBytes = maxFileBytes;
        b.batchFiles = batchFiles;
        b.resume = resume;
        return b;
    }

    @Override
    public String toString() {
        return "SerSparkOptions[modelCard=" + (modelCard == null ? "default" : modelCard) + ", pathGlobFilter="
                + pathGlobFilter + ", recursive=" + recursive + ", windowSeconds=" + windowSeconds + ", hopSeconds="
                + hopSeconds + ", maxFileBytes=" + maxFileBytes + ", batchFiles=" + batchFiles + ", resume=" + resume
                + "]";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String modelCard;
        private String pathGlobFilter;
        private boolean recursive = true;
        private double windowSeconds = Double.NaN;
        private double hopSeconds = Double.NaN;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int batchFiles = DEFAULT_BATCH_FILES;
        private boolean resume;

        private Builder() {
        }

        /**
         * @param card a model card on the driver's file system, or {@code null} for the default model
         * @return this builder
         */
        public Builder modelCard(Path card) {
            this.modelCard = card == null ? null : card.toAbsolutePath().toString();
            return this;
        }

        /**
         * @param glob a file-name glob such as {@code "*.{wav,flac}"}, or {@code null} for every file
         * @return this builder
         */
        public Builder pathGlobFilter(String glob) {
            if (glob != null && glob.isBlank()) {
                throw new IllegalArgumentException("pathGlobFilter must not be blank");
            }
            this.pathGlobFilter = glob;
            return this;
        }

        /**
         * @param recursive whether to search folders recursively
         * @return this builder
         */
        public Builder recursive(boolean recursive) {
            this.recursive = recursive;
            return this;
        }

        /**
         * @param seconds streaming window, as {@link StreamOptions.Builder#windowSeconds(double)} accepts: in (0, 3600]
         * @return this builder
         * @throws IllegalArgumentException as {@link StreamOptions.Builder#windowSeconds(double)}, with its message
         */
        public Builder windowSeconds(double seconds) {
            StreamOptions.builder().windowSeconds(seconds);
            this.windowSeconds = seconds;
            return this;
        }

        /**
         * @param seconds streaming hop, as {@link StreamOptions.Builder#hopSeconds(double)} accepts: in (0, 3600]
         * @return this builder
         * @throws IllegalArgumentException as {@link StreamOptions.Builder#hopSeconds(double)}, with its message
         */
        public Builder hopSeconds(double seconds) {
            StreamOptions.builder().hopSeconds(seconds);
            this.hopSeconds = seconds;
            return this;
        }

        /**
         * @param bytes largest file analysed, 1 byte to 2 GiB - 1 (the {@code binaryFile} source's limit)
         * @return this builder
         */
        public Builder maxFileBytes(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxFileBytes must be 1.." + Integer.MAX_VALUE + ", got " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * @param files files per committed batch of {@link SerSpark#run}, 1 to 10 000 000
         * @return this builder
         */
        public Builder batchFiles(int files) {
            if (files < 1 || files > 10_000_000) {
                throw new IllegalArgumentException("batchFiles must be 1..10000000, got " + files);
            }
            this.batchFiles = files;
            return this;
        }

        /**
         * @param resume whether {@link SerSpark#run} skips files already in its output
         * @return this builder
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * @return the immutable options
         * @throws IllegalArgumentException if the hop exceeds the window, as {@link StreamOptions.Builder#build()}
         */
        public SerSparkOptions build() {
            streamOptions(windowSeconds, hopSeconds);
            return new SerSparkOptions(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SerSparkOptions that && Objects.equals(modelCard, that.modelCard)
                && Objects.equals(pathGlobFilter, that.pathGlobFilter) && recursive == that.recursive
                && Double.compare(windowSeconds, that.windowSeconds) == 0
                && Double.compare(hopSeconds, that.hopSeconds) == 0 && maxFileBytes == that.maxFileBytes
                && batchFiles == that.batchFiles && resume == that.resume;
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelCard, pathGlobFilter, recursive, windowSeconds, hopSeconds, maxFileBytes, batchFiles,
                resume);
    }
}
