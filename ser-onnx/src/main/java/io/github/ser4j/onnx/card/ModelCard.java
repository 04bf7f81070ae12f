package io.github.ser4j.onnx.card;

import io.github.ser4j.api.ModelException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/*
 * One file of over 500 lines: the section types nested here (ModelCard.Feature, ModelCard.Audio...) are public API
 * that other modules and users name. Reading and checking live in the package-private ModelCardReader,
 * FeaturesReader and CardChecks.
 */

/**
 * A parsed and checked model card ({@code ser4j-model-card}, schema version {@value #SCHEMA_VERSION}): the JSON file
 * beside an ONNX model that says how audio becomes the model's input and how its output becomes emotions. The format
 * is documented in {@code docs/model-card.md} and by the JSON Schema on the class path at {@value #SCHEMA_RESOURCE}.
 *
 * <p>Parsing checks everything that can be checked without the model: types and ranges of every field, unknown fields
 * (usually typos), feature names and their librosa parameters, that stacked features yield the same frame count,
 * label uniqueness, the model path. Checks against the model itself (names, shapes, label count) happen when a
 * recogniser loads it. Every failure is a {@link ModelException} naming the card, the field's JSON path and the value.
 * A card with an {@code ensemble} section is an {@link EnsembleCard}, which {@link #parse} and {@link #read} reject
 * with a message saying so.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelCard {
    /** The value of the card's {@code format} field. */
    public static final String FORMAT = "ser4j-model-card";
    /** The schema version this reader understands. */
    public static final int SCHEMA_VERSION = 1;
    /** Class-path location of the JSON Schema of the card format. */
    public static final String SCHEMA_RESOURCE = "/io/github/ser4j/onnx/model-card.schema.json";
    /** Cards larger than this are rejected before parsing (global normalisation arrays fit easily). */
    public static final int MAX_CARD_BYTES = 16 << 20;

    /** Where padding goes or which part is kept. */
    public enum Position {
        /** At the start (padding) / keep the start (crop). */
        START,
        /** At the end (padding) / keep the end (crop). */
        END,
        /** Split around (padding: half before, the odd one after) / keep the centre (crop). */
        CENTER,
        /** Never pad / never crop. */
        NONE;

        String cardName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Waveform pre-normalisation. */
    public enum AudioNormalization {
        /** Unchanged. */
        NONE,
        /** Divide by the peak absolute sample ({@code librosa.util.normalize}). */
        PEAK,
        /** Scale to a target RMS level. */
        RMS
    }

    /** How rows and columns of the feature matrix map to the input tensor's axes. */
    public enum Layout {
        /** {@code [N, 1, rows, columns]}. */
        NCHW,
        /** {@code [N, rows, columns, 1]}. */
        NHWC,
        /** {@code [N, columns, rows]}: frames by features. */
        NTC,
        /** {@code [N, rows, columns]}: features by frames. */
        NCT,
        /** {@code [N, rows * columns]}: a flat vector, row-major. */
        NC
    }

    /** Element type of the input tensor. */
    public enum DType {
        /** 32-bit float. */
        FLOAT32,
        /** 64-bit float. */
        FLOAT64
    }

    /** What the output tensor holds. */
    public enum OutputKind {
        /** Probabilities, used as they are. */
        PROBABILITIES,
        /** Logits: a softmax is applied. */
        LOGITS
    }

    /** Axis of aggregation. */
    public enum AggregateAxis {
        /** Over frames, per feature row: a column vector. */
        TIME,
        /** Over feature rows, per frame: one value per frame and statistic. */
        FEATURE
    }

    /** Statistic of aggregation. */
    public enum Stats {
        /** {@code np.mean}. */
        MEAN,
        /** {@code np.std} (population, ddof 0). */
        STD,
        /** Means then standard deviations, concatenated. */
        MEAN_STD
    }

    /** Feature normalisation. */
    public enum NormalizationType {
        /** Unchanged. */
        NONE,
        /** Per-utterance z-score. */
        UTTERANCE,
        /** Global mean/scale (scikit-learn StandardScaler). */
        GLOBAL
    }

    /** Speaker/stream adaptation of the feature matrix ({@code features.adapt.type}). */
    public enum AdaptationType {
        /**
         * Running z-score: each element is standardised by the running mean and standard deviation of the same
         * speaker's matrices so far, the current one included, started from {@code prior_count} pseudo-matrices of the
         * prior.
         */
        RUNNING
    }

    /**
     * The model file. Immutable and thread-safe.
     *
     * @param file   path relative to the card's folder, as written in the card
     * @param sha256 its SHA-256 in lowercase hex, if the card pins one
     */
    public record ModelFile(String file, Optional<String> sha256) {
    }

    /**
     * Audio preparation (steps 1-7 of the pipeline). Immutable and thread-safe.
     *
     * @param sampleRate      the rate audio is resampled to, or 0 to keep the clip's own rate
     * @param offsetSeconds   audio skipped at the start
     * @param durationSeconds target clip length, if fixed
     * @param crop            which part of a longer clip is kept
     * @param pad             where zeros go in a shorter clip
     * @param normalize       waveform pre-normalisation
     * @param targetRmsDbfs   target of {@link AudioNormalization#RMS}, dB re full scale
     * @param denoise         the noise-reduction step ({@code audio.denoise}), if the card has one
     */
    public record Audio(int sampleRate, double offsetSeconds, OptionalDouble durationSeconds, Position crop,
                        Position pad, AudioNormalization normalize, double targetRmsDbfs, Optional<Denoise> denoise) {
        /** {@return whether the clip's own rate is kept ({@code "sample_rate": null})} */
        public boolean keepsNativeRate() {
            return sampleRate == 0;
        }

        /** {@return whether every clip ends up with the same length ({@code duration_seconds} with pad and crop)} */
        public boolean fixedLength() {
            return durationSeconds.isPresent() && crop != Position.NONE && pad != Position.NONE;
        }
    }

    /**
     * Noise reduction by non-stationary spectral gating ({@code audio.denoise}, ser-dsp's {@code SpectralGate}), with
     * the parameter names of the Python {@code noisereduce} package. Applied to the cropped clip at the card's rate,
     * before the speech gate. Immutable and thread-safe.
     *
     * @param propDecrease              {@code prop_decrease}: share of the noise removed, 0 to 1
     * @param nFft                      {@code n_fft}: STFT size, even, >= 16
     * @param hopLength                 {@code hop_length}: frame step, dividing {@code n_fft}, at most half of it
     * @param freqMaskSmoothHz          {@code freq_mask_smooth_hz}: mask smoothing over frequency (0 = none)
     * @param timeMaskSmoothMs          {@code time_mask_smooth_ms}: mask smoothing over time (0 = none)
     * @param timeConstantS             {@code time_constant_s}: window of the running-minimum noise floor
     * @param threshNMultNonstationary  {@code thresh_n_mult_nonstationary}: how far above the floor a bin is kept
     * @param sigmoidSlopeNonstationary {@code sigmoid_slope_nonstationary}: steepness of the mask
     */
    public record Denoise(double propDecrease, int nFft, int hopLength, double freqMaskSmoothHz,
                          double timeMaskSmoothMs, double timeConstantS, double threshNMultNonstationary,
                          double sigmoidSlopeNonstationary) {
        /** noisereduce's defaults (non-stationary): what {@code "denoise": {}} means. */
        public static final Denoise DEFAULTS = new Denoise(1.0, 1024, 256, 500, 50, 2.0, 2.0, 10.0);
    }

    /**
     * The "no speech" criterion. Immutable and thread-safe.
     *
     * @param enabled      whether it applies
     * @param minRmsDbfs   the RMS floor (dB re full scale) at least one frame must reach
     * @param frameSeconds frame length
     */
    public record SpeechGate(boolean enabled, double minRmsDbfs, double frameSeconds) {
    }

    /**
     * One stacked feature. Immutable and thread-safe.
     *
     * @param kind        the feature
     * @param params      every parameter of {@link FeatureKind#parameterNames()} with the card's value or librosa's
     *                    default (Integer, Double, Boolean, String or null); unmodifiable
     * @param deltaOrders delta orders appended after the base rows, possibly empty
     * @param deltaWidth  {@code width} of {@code librosa.feature.delta}
     */
    public record Feature(FeatureKind kind, Map<String, Object> params, List<Integer> deltaOrders, int deltaWidth) {
        /**
         * @param name a parameter name
         * @return its value as an int
         */
        public int intParam(String name) {
            return ((Number) Objects.requireNonNull(params.get(name), name)).intValue();
        }

        /**
         * @param name a parameter name
         * @return its value as a double, NaN when null
         */
        public double doubleParam(String name) {
            Object v = params.get(name);
            return v == null ? Double.NaN : ((Number) v).doubleValue();
        }

        /** {@return {@code n_fft}, or for frame-based features without one, {@code frame_length}; 1 for waveform} */
        public int frameLength() {
            if (params.containsKey("n_fft")) {
                return intParam("n_fft");
            }
            return params.containsKey("frame_length") ? intParam("frame_length") : 1;
        }

        /** {@return the effective {@code hop_length} (librosa's derived default resolved); 1 for waveform} */
        public int hopLength() {
            if (kind == FeatureKind.WAVEFORM || kind == FeatureKind.FUNCTIONALS) {
                return 1;
            }
            Object hop = params.get("hop_length");
            if (hop != null) {
                return ((Number) hop).intValue();
            }
            return winLength() / 4; // librosa.stft: win_length // 4
        }

        /** {@return the effective {@code win_length} ({@code n_fft} when not given)} */
        public int winLength() {
            Object w = params.get("win_length");
            return w != null ? ((Number) w).intValue() : frameLength();
        }

        /** {@return {@code center} (false for waveform)} */
        public boolean center() {
            return kind != FeatureKind.WAVEFORM && Boolean.TRUE.equals(params.get("center"));
        }

        /** {@return the rows of the base feature, without deltas} */
        public int baseRows() {
            return switch (kind) {
                case WAVEFORM, RMS, ZERO_CROSSING_RATE, SPECTRAL_CENTROID, SPECTRAL_BANDWIDTH, SPECTRAL_ROLLOFF -> 1;
                case STFT -> 1 + intParam("n_fft") / 2;
                case MELSPECTROGRAM, LOG_MELSPECTROGRAM -> intParam("n_mels");
                case MFCC -> intParam("n_mfcc");
                case CHROMA_STFT -> intParam("n_chroma");
                case FUNCTIONALS -> io.github.ser4j.dsp.prosody.Functionals.SIZE;
            };
        }

        /** {@return the rows this feature contributes to the stack, deltas included} */
        public int rows() {
            return baseRows() * (1 + deltaOrders.size());
        }

        /**
         * @param samples number of samples of the (prepared) clip
         * @return the number of columns librosa produces for them (may be 0 or negative when too short)
         */
        public long frameCount(long samples) {
            if (kind == FeatureKind.WAVEFORM) {
                return samples;
            }
            if (kind == FeatureKind.FUNCTIONALS) {
                return samples > 0 ? 1 : 0;
            }
            int hop = hopLength();
            int n = frameLength();
            // center=True pads n // 2 on each side (librosa), so an odd n gives one frame fewer when the clip is a
            // multiple of the hop: 1 + (samples + 2 * (n // 2) - n) // hop
            return center() ? 1 + Math.floorDiv(samples + 2L * (n / 2) - n, hop)
                    : 1 + Math.floorDiv(samples - n, hop);
        }

        /** {@return a short description for messages, e.g. {@code mfcc(n_mfcc=40)+deltas[1, 2]}} */
        public String describe() {
            String rowsParam = switch (kind) {
                case STFT -> "n_fft=" + intParam("n_fft");
                case MELSPECTROGRAM, LOG_MELSPECTROGRAM -> "n_mels=" + intParam("n_mels");
                case MFCC -> "n_mfcc=" + intParam("n_mfcc");
                case CHROMA_STFT -> "n_chroma=" + intParam("n_chroma");
                default -> "";
            };
            return kind.librosaName() + "(" + rowsParam + ")" + (deltaOrders.isEmpty() ? "" : "+deltas" + deltaOrders)
                    + " -> " + rows() + " rows";
        }
    }

    /**
     * A fixed frame count. Immutable and thread-safe.
     *
     * @param count      the number of columns
     * @param pad        where padding columns go
     * @param crop       which columns are kept
     * @param padValue   value of padding columns (ignored when {@code padWithMin})
     * @param padWithMin whether padding uses the matrix minimum ({@code "pad_value": "min"})
     */
    public record Frames(int count, Position pad, Position crop, double padValue, boolean padWithMin) {
    }

    /**
     * Aggregation. Immutable and thread-safe.
     *
     * @param axis  over which axis
     * @param stats which statistics
     */
    public record Aggregate(AggregateAxis axis, Stats stats) {
        /** {@return 2 for mean+std, else 1} */
        public int statCount() {
            return stats == Stats.MEAN_STD ? 2 : 1;
        }
    }

    /**
     * Feature normalisation. Immutable and thread-safe.
     *
     * @param type    the kind
     * @param perRow  for {@link NormalizationType#UTTERANCE}: per row over its frames ({@code "axis": "time"})
     *                rather than over the whole matrix
     * @param epsilon for {@link NormalizationType#UTTERANCE}: added to the standard deviation
     * @param mean    for {@link NormalizationType#GLOBAL}: the means (empty otherwise)
     * @param scale   for {@link NormalizationType#GLOBAL}: the scales, same length as {@code mean}
     */
    public record Normalization(NormalizationType type, boolean perRow, double epsilon, List<Double> mean,
                                List<Double> scale) {
        /** @param type the kind; copies the lists */
        public Normalization {
            mean = List.copyOf(mean);
            scale = List.copyOf(scale);
        }
    }

    /**
     * Speaker adaptation ({@code features.adapt}, step 10b): per element of the R x C matrix after aggregation, with
     * {@code s1 = priorCount * priorMean}, {@code s2 = priorCount * (priorVar + priorMean^2)} at the start of a
     * speaker, each matrix {@code x} (the k-th of the speaker, from 1) does {@code s1 += x; s2 += x^2;
     * n = priorCount + k; mu = s1 / n; sd = sqrt(max(s2 / n - mu^2, 0)); x = (x - mu) / (sd + epsilon)}.
     * Immutable and thread-safe.
     *
     * @param type       the kind (only {@link AdaptationType#RUNNING})
     * @param priorCount weight of the prior, in pseudo-matrices (&gt;= 0)
     * @param priorMean  prior means: 1 value, R (per row) or R x C (element-wise, row-major)
     * @param priorVar   prior variances (&gt;= 0), as many as {@code priorMean}
     * @param epsilon    added to the standard deviation (&gt; 0)
     */
    public record Adaptation(AdaptationType type, double priorCount, List<Double> priorMean, List<Double> priorVar,
                             double epsilon) {
        /** Copies the lists. */
        public Adaptation {
            Objects.requireNonNull(type, "type");
            priorMean = List.copyOf(priorMean);
            priorVar = List.copyOf(priorVar);
        }
    }

    /**
     * The feature part of the card. Immutable and thread-safe.
     *
     * @param stack     the features, in stacking order
     * @param frames    the fixed frame count, if any
     * @param aggregate the aggregation, if any
     * @param normalize the normalisation
     * @param adapt     the speaker adaptation, if any (applied after aggregation, before normalisation)
     */
    public record Features(List<Feature> stack, Optional<Frames> frames, Optional<Aggregate> aggregate,
                           Normalization normalize, Optional<Adaptation> adapt) {
        /**
         * Features without speaker adaptation.
         *
         * @param stack     the features, in stacking order
         * @param frames    the fixed frame count, if any
         * @param aggregate the aggregation, if any
         * @param normalize the normalisation
         */
        public Features(List<Feature> stack, Optional<Frames> frames, Optional<Aggregate> aggregate,
                        Normalization normalize) {
            this(stack, frames, aggregate, normalize, Optional.empty());
        }

        /** {@return total rows of the stacked matrix before aggregation} */
        public int rows() {
            return stack.stream().mapToInt(Feature::rows).sum();
        }
    }

    /**
     * The input tensor. Immutable and thread-safe.
     *
     * @param name           ONNX input name
     * @param dtype          element type
     * @param layout         layout
     * @param heightIsTime   for NCHW/NHWC: H is the time axis ({@code "height": "time"})
     * @param batchDimension whether axis 0 is a batch axis
     */
    public record Input(String name, DType dtype, Layout layout, boolean heightIsTime, boolean batchDimension) {
    }

    /**
     * An extra regression output with arousal and valence. Immutable and thread-safe.
     *
     * @param name         ONNX output name
     * @param arousalIndex index of arousal in its last axis
     * @param valenceIndex index of valence in its last axis
     */
    public record Regression(String name, int arousalIndex, int valenceIndex) {
    }

    /**
     * The output tensor and labels. Immutable and thread-safe.
     *
     * @param name           ONNX output name of the class scores
     * @param kind           probabilities or logits
     * @param labels         labels in output order
     * @param arousalValence per-label {arousal, valence}, possibly empty; unmodifiable
     * @param regression     an extra arousal/valence output, if any
     * @param adapt          the speaker adaptation of the probabilities, if any (step 13b)
     */
    public record Output(String name, OutputKind kind, List<String> labels, Map<String, List<Double>> arousalValence,
                         Optional<Regression> regression, Optional<OutputAdaptation> adapt) {
        /** An output without speaker adaptation; the parameters are the record's. */
        public Output(String name, OutputKind kind, List<String> labels, Map<String, List<Double>> arousalValence,
                      Optional<Regression> regression) {
            this(name, kind, labels, arousalValence, regression, Optional.empty());
        }
    }

    /**
     * Streaming defaults. Immutable and thread-safe.
     *
     * @param windowSeconds window length
     * @param hopSeconds    hop between windows
     */
    public record Streaming(double windowSeconds, double hopSeconds) {
    }

    private final String source;
    private final String name;
    private final String version;
    private final String description;
    private final ModelFile model;
    private final Audio audio;
    private final SpeechGate speechGate;
    private final Features features;
    private final Input input;
    private final Output output;
    private final Streaming streaming;
    private final String license;
    private final String provenanceJson;

    /** Built by {@link ModelCardReader} from checked sections. */
    ModelCard(String source, String name, String version, String description, ModelFile model, Audio audio,
              SpeechGate speechGate, Features features, Input input, Output output, Streaming streaming,
              String license, String provenanceJson) {
        this.source = source;
        this.name = name;
        this.version = version;
        this.description = description;
        this.model = model;
        this.audio = audio;
        this.speechGate = speechGate;
        this.features = features;
        this.input = input;
        this.output = output;
        this.streaming = streaming;
        this.license = license;
        this.provenanceJson = provenanceJson;
    }

    /**
     * Reads and checks a card file.
     *
     * @param card path of the card
     * @return the card
     * @throws ModelException if the file cannot be read or the card is invalid (the message names the field)
     */
    public static ModelCard read(Path card) {
        return ModelCardReader.read(card);
    }

    /**
     * Parses and checks a card.
     *
     * @param json   the card's bytes (UTF-8 JSON)
     * @param source a name for messages, e.g. the file path or class-path resource
     * @return the card
     * @throws ModelException if the card is invalid (the message names the source and field)
     */
    public static ModelCard parse(byte[] json, String source) {
        return ModelCardReader.parse(json, source);
    }

    /**
     * Cheap check that some bytes look like a ser4j card: valid JSON whose {@code format} is {@value #FORMAT}.
     *
     * @param json bytes of a candidate file
     * @return whether they are a ser4j card (valid or not otherwise)
     */
    public static boolean looksLikeCard(byte[] json) {
        return ModelCardReader.looksLikeCard(json);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Accessors

    /** {@return where the card came from (file path or resource), as used in messages} */
    public String source() {
        return source;
    }

    /** {@return the model's name} */
    public String name() {
        return name;
    }

    /** {@return the model's version} */
    public String version() {
        return version;
    }

    /** {@return the description, possibly empty} */
    public String description() {
        return description;
    }

    /** {@return the model file section} */
    public ModelFile model() {
        return model;
    }

    /** {@return the audio section} */
    public Audio audio() {
        return audio;
    }

    /** {@return the speech gate (defaults when the card has none)} */
    public SpeechGate speechGate() {
        return speechGate;
    }

    /** {@return the features section} */
    public Features features() {
        return features;
    }

    /** {@return the input section} */
    public Input input() {
        return input;
    }

    /** {@return the output section} */
    public Output output() {
        return output;
    }

    /** {@return the streaming defaults (derived from the audio section when the card has none)} */
    public Streaming streaming() {
        return streaming;
    }

    /** {@return {@code provenance.license}, or {@code "unknown"}} */
    public String license() {
        return license;
    }

    /** {@return the provenance object as compact JSON ({@code "{}"} when absent)} */
    public String provenanceJson() {
        return provenanceJson;
    }

    @Override
    public String toString() {
        return "ModelCard[" + name + " " + version + " from " + source + "]";
    }
}
