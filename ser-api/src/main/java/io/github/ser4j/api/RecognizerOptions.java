package io.github.ser4j.api;

/**
 * How a recogniser runs its model. Defaults suit small models on a server or laptop: the CPU, one intra-op and one
 * inter-op thread per call (parallelism comes from calling one shared recogniser from several threads), all graph
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

    /**
     * Where the backend runs the model: ONNX Runtime's execution providers. Which ones exist depends on the runtime
     * library the application ships (the CPU jar has {@link #CPU}; {@code onnxruntime_gpu} adds {@link #CUDA} and
     * {@link #TENSOR_RT}; {@code onnxruntime-android} adds {@link #NNAPI} and {@link #XNNPACK}); asking for one the
     * loaded runtime lacks fails the load with a {@link ModelException} naming the ones it has. Operators a provider
     * cannot run fall back to the CPU.
     */
    public enum ExecutionProvider {
        /** The CPU (the default; always present). */
        CPU,
        /** NVIDIA GPUs through CUDA ({@code onnxruntime_gpu}, Linux and Windows); uses {@link #deviceId()}. */
        CUDA,
        /** NVIDIA TensorRT ({@code onnxruntime_gpu} with TensorRT installed); uses {@link #deviceId()}. */
        TENSOR_RT,
        /** AMD GPUs through ROCm (a ROCm build of ONNX Runtime); uses {@link #deviceId()}. */
        ROCM,
        /** DirectML on Windows GPUs (a DirectML build of ONNX Runtime); uses {@link #deviceId()}. */
        DIRECT_ML,
        /** Apple Core ML (macOS and iOS builds). */
        CORE_ML,
        /** Android Neural Networks API ({@code onnxruntime-android}). */
        NNAPI,
        /** XNNPACK CPU kernels for ARM and x86 (Android and mobile builds). */
        XNNPACK,
        /** Intel oneDNN (a DNNL build of ONNX Runtime). */
        DNNL,
        /** Intel OpenVINO (an OpenVINO build of ONNX Runtime), on its default device. */
        OPEN_VINO,
        /** Arm Compute Library (an ACL build of ONNX Runtime). */
        ACL
    }

    private static final RecognizerOptions DEFAULTS = builder().build();

    private final int intraOpThreads;
    private final int interOpThreads;
    private final OptimizationLevel optimizationLevel;
    private final boolean verifyModelHash;
    private final ExecutionProvider executionProvider;
    private final int deviceId;
    private final boolean denoise;

    private RecognizerOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
        this.optimizationLevel = b.optimizationLevel;
        this.verifyModelHash = b.verifyModelHash;
        this.executionProvider = b.executionProvider;
        this.deviceId = b.deviceId;
        this.denoise = b.denoise;
    }

    /** {@return the default options} */
    public static RecognizerOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder().intraOpThreads(intraOpThreads).interOpThreads(interOpThreads)
                .optimizationLevel(optimizationLevel).verifyModelHash(verifyModelHash)
                .executionProvider(executionProvider).deviceId(deviceId).denoise(denoise);
    }

    /** {@return threads used inside one operator (default 1)} */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** {@return threads used across independent operators (default 1)} */
    public int interOpThreads() {
        return interOpThreads;
    }

    /** {@return graph optimisation level (default {@link OptimizationLevel#ALL})} */
    public OptimizationLevel optimizationLevel() {
        return optimizationLevel;
    }

    /** {@return whether a card's SHA-256 of the model file is checked at load (default true)} */
    public boolean verifyModelHash() {
        return verifyModelHash;
    }

    /** {@return where the model runs (default {@link ExecutionProvider#CPU})} */
    public ExecutionProvider executionProvider() {
        return executionProvider;
    }

    /** {@return the GPU index for CUDA, TensorRT, ROCm and DirectML (default 0); ignored by other providers} */
    public int deviceId() {
        return deviceId;
    }

    /**
     * @return whether every clip and window is denoised (spectral gating) before the model sees it, also when the
     * model card has no {@code audio.denoise} step (default false: only as the card says)
     */
    public boolean denoise() {
        return denoise;
    }

    @Override
    public String toString() {
        return "RecognizerOptions[intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
                + ", optimizationLevel=" + optimizationLevel + ", verifyModelHash=" + verifyModelHash
                + ", executionProvider=" + executionProvider + ", deviceId=" + deviceId + ", denoise=" + denoise
                + "]";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private int intraOpThreads = 1;
        private int interOpThreads = 1;
        private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
        private boolean verifyModelHash = true;
        private ExecutionProvider executionProvider = ExecutionProvider.CPU;
        private int deviceId;
        private boolean denoise;

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

        /**
         * @param provider where to run the model; checked against the loaded runtime when a model is loaded
         * @return this builder
         */
        public Builder executionProvider(ExecutionProvider provider) {
            this.executionProvider = java.util.Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param id GPU index, 0 to 1023, for CUDA, TensorRT, ROCm and DirectML
         * @return this builder
         */
        public Builder deviceId(int id) {
            if (id < 0 || id > 1023) {
                throw new IllegalArgumentException("deviceId must be 0..1023, got " + id);
            }
            this.deviceId = id;
            return this;
        }

        /**
         * @param on whether to denoise every clip and window before the model: non-stationary spectral gating with
         *           the Python {@code noisereduce} package's defaults, after the crop and before the speech gate, when
         *           the model card has no {@code audio.denoise} step of its own (a card's step always applies).
         *           Default false. The default model was trained without it: measure before turning it on.
         * @return this builder
         */
        public Builder denoise(boolean on) {
            this.denoise = on;
            return this;
        }

        /** {@return the immutable options} */
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
