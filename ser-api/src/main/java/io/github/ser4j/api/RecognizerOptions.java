package io.github.ser4j.api;

/**
 * How a recogniser runs its model. Defaults suit small models on a server or laptop: one intra-op and one inter-op
 * thread per call (parallelism comes from calling one shared recogniser from several threads), all graph
 * optimisations, and SHA-256 verification of the model file when the card pins one.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class RecognizerOptions {
    /** Graph optimisation before the first run; mirrors ONNX Runtime's levels. */
    public enum OptimizationLevel {
        /** No optimisation. */
        NONE,
        /** Constant folding and redundant-node removal. */
        BASIC,
        /** BASIC plus node fusions. */
        EXTENDED,
        /** Every optimisation the backend has (the default). */
        ALL
    }

    private static final RecognizerOptions DEFAULTS = builder().build();

    private final int intraOpThreads;
    private final int interOpThreads;
    private final OptimizationLevel optimizationLevel;
    private final boolean verifyModelHash;

    private RecognizerOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
        this.optimizationLevel = b.optimizationLevel;
        this.verifyModelHash = b.verifyModelHash;
    }

    /** @return the default options */
    public static RecognizerOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder().intraOpThreads(intraOpThreads).interOpThreads(interOpThreads)
                .optimizationLevel(optimizationLevel).verifyModelHash(verifyModelHash);
    }

    /** @return threads used inside one operator (default 1) */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** @return threads used across independent operators (default 1) */
    public int interOpThreads() {
        return interOpThreads;
    }

    /** @return graph optimisation level (default {@link OptimizationLevel#ALL}) */
    public OptimizationLevel optimizationLevel() {
        return optimizationLevel;
    }

    /** @return whether a card's SHA-256 of the model file is checked at load (default true) */
    public boolean verifyModelHash() {
        return verifyModelHash;
    }

    @Override
    public String toString() {
        return "RecognizerOptions[intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
                + ", optimizationLevel=" + optimizationLevel + ", verifyModelHash=" + verifyModelHash + "]";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private int intraOpThreads = 1;
        private int interOpThreads = 1;
        private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
        private boolean verifyModelHash = true;

        private Builder() {
        }

        /**
         * @param threads 1 to 256
         * @return this builder
         */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = checkThreads("intraOpThreads", threads);
            return this;
        }

        /**
         * @param threads 1 to 256
         * @return this builder
         */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = checkThreads("interOpThreads", threads);
            return this;
        }

        /**
         * @param level graph optimisation level
         * @return this builder
         */
        public Builder optimizationLevel(OptimizationLevel level) {
            this.optimizationLevel = java.util.Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * @param verify whether to check the model file's SHA-256 against the card
         * @return this builder
         */
        public Builder verifyModelHash(boolean verify) {
            this.verifyModelHash = verify;
            return this;
        }

        /** @return the immutable options */
        public RecognizerOptions build() {
            return new RecognizerOptions(this);
        }

        private static int checkThreads(String name, int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException(name + " must be 1..256, got " + threads);
            }
            return threads;
        }
    }
}
