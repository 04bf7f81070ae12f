package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.ser4j.api.ModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A parsed and checked model card ({@code ser4j-model-card}, schema version {@value #SCHEMA_VERSION}): the JSON file
 * beside an ONNX model that says how audio becomes the model's input and how its output becomes emotions. The format
 * is documented in {@code docs/model-card.md} and by the JSON Schema on the class path at {@value #SCHEMA_RESOURCE}.
 *
 * <p>Parsing checks everything that can be checked without the model: types and ranges of every field, unknown fields
 * (usually typos), feature names and their librosa parameters, that stacked features yield the same frame count,
 * label uniqueness, the model path. Checks against the model itself (names, shapes, label count) happen when a
 * recogniser loads it. Every failure is a {@link ModelException} naming the card, the field's JSON path and the value.
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

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        /** @return whether the clip's own rate is kept ({@code "sample_rate": null}) */
        public boolean keepsNativeRate() {
            return sampleRate == 0;
        }

        /** @return whether every clip ends up with the same length ({@code duration_seconds} with pad and crop) */
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

        /** @return {@code n_fft}, or for frame-based features without one, {@code frame_length}; 1 for waveform */
        public int frameLength() {
            if (params.containsKey("n_fft")) {
                return intParam("n_fft");
            }
            return params.containsKey("frame_length") ? intParam("frame_length") : 1;
        }

        /** @return the effective {@code hop_length} (librosa's derived default resolved); 1 for waveform */
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

        /** @return the effective {@code win_length} ({@code n_fft} when not given) */
        public int winLength() {
            Object w = params.get("win_length");
            return w != null ? ((Number) w).intValue() : frameLength();
        }

        /** @return {@code center} (false for waveform) */
        public boolean center() {
            return kind != FeatureKind.WAVEFORM && Boolean.TRUE.equals(params.get("center"));
        }

        /** @return the rows of the base feature, without deltas */
        public int baseRows() {
            switch (kind) {
                case WAVEFORM:
                case RMS:
                case ZERO_CROSSING_RATE:
                case SPECTRAL_CENTROID:
                case SPECTRAL_BANDWIDTH:
                case SPECTRAL_ROLLOFF:
                    return 1;
                case STFT:
                    return 1 + intParam("n_fft") / 2;
                case MELSPECTROGRAM:
                case LOG_MELSPECTROGRAM:
                    return intParam("n_mels");
                case MFCC:
                    return intParam("n_mfcc");
                case CHROMA_STFT:
                    return intParam("n_chroma");
                case FUNCTIONALS:
                    return io.github.ser4j.dsp.prosody.Functionals.SIZE;
                default:
                    throw new AssertionError(kind);
            }
        }

        /** @return the rows this feature contributes to the stack, deltas included */
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

        /** @return a short description for messages, e.g. {@code mfcc(n_mfcc=40)+deltas[1, 2]} */
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
        /** @return 2 for mean+std, else 1 */
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

        /** @return total rows of the stacked matrix before aggregation */
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
     */
    public record Output(String name, OutputKind kind, List<String> labels, Map<String, List<Double>> arousalValence,
                         Optional<Regression> regression) {
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

    private ModelCard(String source, JsonNode root) {
        this.source = source;
        JsonFields top = JsonFields.object(source, "", root);
        String format = top.string("format", null);
        if (!FORMAT.equals(format)) {
            throw top.error("format", format == null ? "is missing: a ser4j card has \"format\": \"" + FORMAT + "\""
                    : "must be \"" + FORMAT + "\", got \"" + format + "\"");
        }
        JsonNode version = top.required("schema_version");
        if (!JsonFields.isInteger(version) || version.intValue() != SCHEMA_VERSION) {
            throw top.error("schema_version", "is " + version.asText() + " but this reader supports version "
                    + SCHEMA_VERSION + " only" + (JsonFields.isInteger(version) && version.intValue() > SCHEMA_VERSION
                    ? "; upgrade ser4j" : ""));
        }
        this.name = top.requiredString("name");
        this.version = top.requiredString("version");
        this.description = top.string("description", "");
        this.model = parseModel(top.object("model", true));
        this.audio = parseAudio(top.object("audio", true));
        this.speechGate = parseGate(top.object("speech_gate", false));
        this.features = parseFeatures(top.object("features", true));
        this.input = parseInput(top.object("input", true));
        this.output = parseOutput(top.object("output", true));
        this.streaming = parseStreaming(top.object("streaming", false));
        JsonNode prov = top.raw("provenance");
        if (prov != null && !prov.isObject()) {
            throw top.error("provenance", "must be a JSON object, got " + JsonFields.describe(prov));
        }
        this.provenanceJson = prov == null ? "{}" : prov.toString();
        JsonNode lic = prov == null ? null : prov.get("license");
        this.license = lic != null && lic.isTextual() ? lic.textValue() : "unknown";
        top.finish();
        checkConsistency();
    }

    /**
     * Reads and checks a card file.
     *
     * @param card path of the card
     * @return the card
     * @throws ModelException if the file cannot be read or the card is invalid (the message names the field)
     */
    public static ModelCard read(Path card) {
        Objects.requireNonNull(card, "card");
        byte[] bytes;
        try {
            long size = Files.size(card);
            if (size > MAX_CARD_BYTES) {
                throw new ModelException("model card " + card + " is " + size + " bytes; cards are at most "
                        + MAX_CARD_BYTES + " bytes (is this really a card?)");
            }
            bytes = Files.readAllBytes(card);
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + card + ": " + e, e);
        }
        return parse(bytes, card.toString());
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
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        if (json.length > MAX_CARD_BYTES) {
            throw new ModelException("model card " + source + " is " + json.length + " bytes; cards are at most "
                    + MAX_CARD_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelException("model card " + source + " is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e), e);
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + source + ": " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelException("model card " + source + " is empty");
        }
        return new ModelCard(source, root);
    }

    /**
     * Cheap check that some bytes look like a ser4j card: valid JSON whose {@code format} is {@value #FORMAT}.
     *
     * @param json bytes of a candidate file
     * @return whether they are a ser4j card (valid or not otherwise)
     */
    public static boolean looksLikeCard(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            return root != null && root.isObject() && FORMAT.equals(root.path("format").asText(null));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parsing of the sections

    private static ModelFile parseModel(JsonFields f) {
        String file = f.requiredString("file");
        String sha = f.string("sha256", null);
        if (sha != null && !sha.matches("[0-9a-f]{64}")) {
            throw f.error("sha256", "must be 64 lowercase hexadecimal digits, got \"" + sha + "\"");
        }
        f.finish();
        return new ModelFile(file, Optional.ofNullable(sha));
    }

    private static Position position(JsonFields f, String field, String fallback, boolean allowNone) {
        String v = allowNone ? f.choice(field, fallback, "start", "end", "center", "none")
                : f.choice(field, fallback, "start", "end", "center");
        return Position.valueOf(v.toUpperCase(Locale.ROOT));
    }

    private static Audio parseAudio(JsonFields f) {
        JsonNode sr = f.required("sample_rate");
        int sampleRate = sr.isNull() ? 0 : f.integer("sample_rate", 0, 1, 768_000);
        double offset = f.number("offset_seconds", 0.0, 0.0, 86_400.0, false);
        JsonNode d = f.raw("duration_seconds");
        OptionalDouble duration = d == null || d.isNull() ? OptionalDouble.empty()
                : OptionalDouble.of(f.number("duration_seconds", 0, 0, 3600.0, true));
        Position crop = position(f, "crop", "start", true);
        Position pad = position(f, "pad", "end", true);
        AudioNormalization norm = AudioNormalization.valueOf(
                f.choice("normalize", "none", "none", "peak", "rms").toUpperCase(Locale.ROOT));
        double target = f.number("target_rms_dbfs", -20.0, -200.0, 0.0, false);
        if (f.has("target_rms_dbfs") && norm != AudioNormalization.RMS) {
            throw f.error("target_rms_dbfs", "is only meaningful with \"normalize\": \"rms\", but normalize is \""
                    + norm.name().toLowerCase(Locale.ROOT) + "\"");
        }
        JsonFields dn = f.object("denoise", false);
        Optional<Denoise> denoise = dn == null ? Optional.empty() : Optional.of(parseDenoise(dn));
        f.finish();
        return new Audio(sampleRate, offset, duration, crop, pad, norm, target, denoise);
    }

    private static Denoise parseDenoise(JsonFields f) {
        Denoise d = Denoise.DEFAULTS;
        double prop = f.number("prop_decrease", d.propDecrease(), 0.0, 1.0, false);
        int nFft = f.integer("n_fft", d.nFft(), 16, 65_536);
        if (nFft % 2 != 0) {
            throw f.error("n_fft", "must be even, got " + nFft);
        }
        int hop = f.integer("hop_length", nFft / 4, 1, nFft / 2);
        if (nFft % hop != 0) {
            throw f.error("hop_length", "must divide n_fft (" + nFft + "), got " + hop);
        }
        Denoise out = new Denoise(prop, nFft, hop,
                f.number("freq_mask_smooth_hz", d.freqMaskSmoothHz(), 0.0, 100_000.0, false),
                f.number("time_mask_smooth_ms", d.timeMaskSmoothMs(), 0.0, 10_000.0, false),
                f.number("time_constant_s", d.timeConstantS(), 0.0, 3600.0, true),
                f.number("thresh_n_mult_nonstationary", d.threshNMultNonstationary(), -1000.0, 1000.0, false),
                f.number("sigmoid_slope_nonstationary", d.sigmoidSlopeNonstationary(), 0.0, 10_000.0, true));
        f.finish();
        return out;
    }

    private static SpeechGate parseGate(JsonFields f) {
        if (f == null) {
            return new SpeechGate(true, -50.0, 0.025);
        }
        SpeechGate g = new SpeechGate(f.bool("enabled", true), f.number("min_rms_dbfs", -50.0, -200.0, 0.0, false),
                f.number("frame_seconds", 0.025, 0.0, 10.0, true));
        f.finish();
        return g;
    }

    private static Features parseFeatures(JsonFields f) {
        JsonNode stackNode = f.required("stack");
        String stackPath = f.child("stack");
        if (!stackNode.isArray() || stackNode.isEmpty()) {
            throw f.error("stack", "must be a non-empty array of features, got " + JsonFields.describe(stackNode));
        }
        List<Feature> stack = new ArrayList<>();
        for (int i = 0; i < stackNode.size(); i++) {
            stack.add(parseFeature(JsonFields.object(f.source(), stackPath + "[" + i + "]", stackNode.get(i))));
        }
        Frames frames = null;
        JsonFields fr = f.object("frames", false);
        if (fr != null) {
            int count = fr.integer("count", 0, 1, 1 << 24);
            if (!fr.has("count")) {
                fr.required("count");
            }
            Position pad = position(fr, "pad", "end", false);
            Position crop = position(fr, "crop", "start", false);
            JsonNode pv = fr.raw("pad_value");
            boolean min = false;
            double value = 0.0;
            if (pv != null) {
                if (pv.isTextual() && "min".equals(pv.textValue())) {
                    min = true;
                } else {
                    value = fr.checkNumber(fr.child("pad_value"), pv, -Double.MAX_VALUE, Double.MAX_VALUE, false);
                }
            }
            fr.finish();
            frames = new Frames(count, pad, crop, value, min);
        }
        Aggregate aggregate = null;
        JsonFields ag = f.object("aggregate", false);
        if (ag != null) {
            ag.required("axis");
            ag.required("stats");
            aggregate = new Aggregate(
                    AggregateAxis.valueOf(ag.choice("axis", null, "time", "feature").toUpperCase(Locale.ROOT)),
                    Stats.valueOf(ag.choice("stats", null, "mean", "std", "mean_std").toUpperCase(Locale.ROOT)));
            ag.finish();
        }
        Normalization normalization = new Normalization(NormalizationType.NONE, false, 0, List.of(), List.of());
        JsonFields nz = f.object("normalize", false);
        if (nz != null) {
            nz.required("type");
            String type = nz.choice("type", null, "none", "utterance", "global");
            if (type.equals("utterance")) {
                boolean perRow = "time".equals(nz.choice("axis", "all", "all", "time"));
                normalization = new Normalization(NormalizationType.UTTERANCE, perRow,
                        nz.number("epsilon", 1e-8, 0, 1e6, false), List.of(), List.of());
            } else if (type.equals("global")) {
                double[] mean = nz.numberArray("mean");
                double[] scale = nz.numberArray("scale");
                if (mean.length != scale.length) {
                    throw nz.error("scale", "has " + scale.length + " values but mean has " + mean.length);
                }
                for (int i = 0; i < scale.length; i++) {
                    if (!(scale[i] > 0)) {
                        throw JsonFields.error(f.source(), nz.child("scale") + "[" + i + "]",
                                "must be positive (StandardScaler.scale_ is never 0), got " + scale[i]);
                    }
                }
                normalization = new Normalization(NormalizationType.GLOBAL, false, 0, boxed(mean), boxed(scale));
            }
            nz.finish();
        }
        Adaptation adapt = parseAdapt(f.object("adapt", false));
        f.finish();
        return new Features(List.copyOf(stack), Optional.ofNullable(frames), Optional.ofNullable(aggregate),
                normalization, Optional.ofNullable(adapt));
    }

    private static Adaptation parseAdapt(JsonFields a) {
        if (a == null) {
            return null;
        }
        a.required("type");
        a.choice("type", null, "running");
        if (!a.has("prior_count")) {
            a.required("prior_count");
        }
        double count = a.number("prior_count", 0, 0, 1e9, false);
        double[] mean = a.numberArray("prior_mean");
        double[] var = a.numberArray("prior_var");
        if (var.length != mean.length) {
            throw a.error("prior_var", "has " + var.length + " values but prior_mean has " + mean.length
                    + "; give one variance per mean");
        }
        for (int i = 0; i < var.length; i++) {
            if (!(var[i] >= 0)) {
                throw JsonFields.error(a.source(), a.child("prior_var") + "[" + i + "]",
                        "must be a variance (>= 0), got " + var[i]);
            }
        }
        double epsilon = a.number("epsilon", 1e-6, 0, 1e6, true);
        a.finish();
        return new Adaptation(AdaptationType.RUNNING, count, boxed(mean), boxed(var), epsilon);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static Feature parseFeature(JsonFields f) {
        String featureName = f.requiredString("name");
        FeatureKind kind;
        try {
            kind = FeatureKind.fromName(featureName);
        } catch (IllegalArgumentException e) {
            throw f.error("name", e.getMessage());
        }
        Map<String, Object> params = new LinkedHashMap<>(kind.defaults());
        JsonFields p = f.object("params", false);
        if (p != null) {
            JsonNode raw = f.raw("params");
            for (Iterator<String> it = raw.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                FeatureKind.Param param = kind.param(key);
                if (param == null) {
                    throw JsonFields.error(f.source(), p.child(key), "is not a parameter of " + featureName
                            + (kind.parameterNames().isEmpty() ? " (it takes none)"
                            : "; its parameters are " + kind.parameterNames()));
                }
                params.put(key, param.type.read(p, p.child(key), raw.get(key)));
            }
        }
        List<Integer> orders = List.of();
        int width = 9;
        JsonFields d = f.object("deltas", false);
        if (d != null) {
            JsonNode o = d.required("orders");
            if (!o.isArray() || o.isEmpty()) {
                throw d.error("orders", "must be a non-empty array of 1 and/or 2, got " + JsonFields.describe(o));
            }
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < o.size(); i++) {
                int order = d.checkInt(d.child("orders") + "[" + i + "]", o.get(i), 1, 2);
                if (list.contains(order)) {
                    throw d.error("orders", "repeats order " + order);
                }
                list.add(order);
            }
            orders = List.copyOf(list);
            width = d.integer("width", 9, 3, 1001);
            if (width % 2 == 0) {
                throw d.error("width", "must be odd (librosa.feature.delta), got " + width);
            }
            if (kind == FeatureKind.WAVEFORM) {
                throw f.error("deltas", "cannot be applied to the waveform");
            }
            if (kind == FeatureKind.FUNCTIONALS) {
                throw f.error("deltas", "cannot be applied to functionals (one column per clip)");
            }
            d.finish();
        }
        f.finish();
        Feature feature = new Feature(kind, Collections.unmodifiableMap(params), orders, width);
        if (feature.winLength() > feature.frameLength()) {
            throw JsonFields.error(f.source(), f.child("params.win_length"), "is " + feature.winLength()
                    + " but must not exceed n_fft " + feature.frameLength() + " (librosa.stft)");
        }
        if (kind == FeatureKind.MFCC && feature.intParam("n_mfcc") > feature.intParam("n_mels")) {
            throw JsonFields.error(f.source(), f.child("params.n_mfcc"), "is " + feature.intParam("n_mfcc")
                    + " but cannot exceed n_mels " + feature.intParam("n_mels"));
        }
        return feature;
    }

    private static Input parseInput(JsonFields f) {
        String inputName = f.requiredString("name");
        DType dtype = DType.valueOf(f.choice("dtype", "float32", "float32", "float64").toUpperCase(Locale.ROOT));
        f.required("layout");
        Layout layout = Layout.valueOf(f.choice("layout", null, "NCHW", "NHWC", "NTC", "NCT", "NC"));
        boolean heightIsTime = "time".equals(f.choice("height", "feature", "feature", "time"));
        if (f.has("height") && heightIsTime && layout != Layout.NCHW && layout != Layout.NHWC) {
            throw f.error("height", "only applies to NCHW and NHWC, but layout is " + layout);
        }
        boolean batch = f.bool("batch_dimension", true);
        f.finish();
        return new Input(inputName, dtype, layout, heightIsTime, batch);
    }

    private static Output parseOutput(JsonFields f) {
        String outputName = f.requiredString("name");
        f.required("kind");
        OutputKind kind = OutputKind.valueOf(f.choice("kind", null, "probabilities", "logits")
                .toUpperCase(Locale.ROOT));
        List<String> labels = f.stringList("labels");
        if (labels.isEmpty()) {
            throw f.error("labels", "must not be empty");
        }
        Set<String> distinct = new HashSet<>();
        for (String l : labels) {
            if (!distinct.add(l)) {
                throw f.error("labels", "has \"" + l + "\" twice; labels must be distinct: " + labels);
            }
            if (l.equals(io.github.ser4j.api.EmotionPrediction.NO_SPEECH)) {
                throw f.error("labels", "uses the reserved label \"" + l + "\" (ser4j reports silence with it)");
            }
        }
        Map<String, List<Double>> av = new LinkedHashMap<>();
        JsonFields avf = f.object("arousal_valence", false);
        if (avf != null) {
            JsonNode raw = f.raw("arousal_valence");
            for (Iterator<String> it = raw.fieldNames(); it.hasNext(); ) {
                String label = it.next();
                String path = avf.child(label);
                if (!labels.contains(label)) {
                    throw JsonFields.error(f.source(), path, "names a label that is not in output.labels " + labels);
                }
                JsonNode pair = avf.raw(label);
                if (!pair.isArray() || pair.size() != 2) {
                    throw JsonFields.error(f.source(), path, "must be [arousal, valence], got "
                            + JsonFields.describe(pair));
                }
                av.put(label, List.of(avf.checkNumber(path + "[0]", pair.get(0), -1e6, 1e6, false),
                        avf.checkNumber(path + "[1]", pair.get(1), -1e6, 1e6, false)));
            }
            if (!av.keySet().containsAll(labels)) {
                List<String> missing = new ArrayList<>(labels);
                missing.removeAll(av.keySet());
                throw f.error("arousal_valence", "lacks labels " + missing + "; give [arousal, valence] for every label");
            }
        }
        Regression regression = null;
        JsonFields rf = f.object("regression", false);
        if (rf != null) {
            String rname = rf.requiredString("name");
            rf.required("arousal_index");
            rf.required("valence_index");
            regression = new Regression(rname, rf.integer("arousal_index", 0, 0, 1 << 20),
                    rf.integer("valence_index", 0, 0, 1 << 20));
            if (rname.equals(outputName)) {
                throw rf.error("name", "must differ from output.name \"" + outputName + "\"");
            }
            rf.finish();
        }
        f.finish();
        return new Output(outputName, kind, List.copyOf(labels), Collections.unmodifiableMap(av),
                Optional.ofNullable(regression));
    }

    private Streaming parseStreaming(JsonFields f) {
        double defaultWindow = audio.durationSeconds().orElse(3.0);
        if (f == null) {
            return new Streaming(defaultWindow, defaultWindow / 2);
        }
        double window = f.number("window_seconds", defaultWindow, 0, 3600, true);
        double hop = f.number("hop_seconds", window / 2, 0, 3600, true);
        if (hop > window) {
            throw f.error("hop_seconds", "is " + hop + " but must not exceed window_seconds " + window);
        }
        f.finish();
        return new Streaming(window, hop);
    }

    /** Checks across sections that the JSON Schema cannot express. */
    private void checkConsistency() {
        List<Feature> stack = features.stack();
        checkFunctionals(stack);
        if (stack.size() > 1) {
            for (int i = 0; i < stack.size(); i++) {
                if (stack.get(i).kind() == FeatureKind.WAVEFORM) {
                    throw JsonFields.error(source, "features.stack[" + i + "].name",
                            "is waveform, which must be the only feature (its columns are samples, not frames)");
                }
            }
            Feature first = stack.get(0);
            for (int i = 1; i < stack.size(); i++) {
                Feature f = stack.get(i);
                if (f.hopLength() != first.hopLength()) {
                    throw JsonFields.error(source, "features.stack[" + i + "].params.hop_length", "is "
                            + f.hopLength() + " but features.stack[0] has " + first.hopLength()
                            + ": stacked features need the same frame count");
                }
                if (f.center() != first.center()) {
                    throw JsonFields.error(source, "features.stack[" + i + "].params.center", "is " + f.center()
                            + " but features.stack[0] has " + first.center()
                            + ": stacked features need the same frame count");
                }
                if (f.center() && f.frameLength() % 2 != first.frameLength() % 2) {
                    throw JsonFields.error(source, "features.stack[" + i + "]", "has frame length "
                            + f.frameLength() + " but features.stack[0] has " + first.frameLength()
                            + ": with center=true stacked features need n_fft/frame_length that are all even or all "
                            + "odd (an odd one gives one frame fewer for some clip lengths)");
                }
                if (!f.center() && f.frameLength() != first.frameLength()) {
                    throw JsonFields.error(source, "features.stack[" + i + "]", "has frame length "
                            + f.frameLength() + " but features.stack[0] has " + first.frameLength()
                            + ": with center=false stacked features need the same n_fft/frame_length");
                }
            }
        }
    }

    /** functionals: the only feature, at 16 kHz (training/functionals.py's SR). */
    private void checkFunctionals(List<Feature> stack) {
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).kind() != FeatureKind.FUNCTIONALS) {
                continue;
            }
            if (stack.size() > 1) {
                throw JsonFields.error(source, "features.stack[" + i + "].name", "is functionals, which must be the "
                        + "only feature (one column of 139 clip-level values, not frames)");
            }
            int sr = io.github.ser4j.dsp.prosody.Functionals.SR;
            if (audio.sampleRate() != sr) {
                throw JsonFields.error(source, "audio.sample_rate", "is " + (audio.keepsNativeRate()
                        ? "null (the clip's own rate)" : audio.sampleRate()) + " but features.stack[" + i
                        + "] is functionals, which supports only " + sr + " Hz (set \"sample_rate\": " + sr + ")");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Accessors

    /** @return where the card came from (file path or resource), as used in messages */
    public String source() {
        return source;
    }

    /** @return the model's name */
    public String name() {
        return name;
    }

    /** @return the model's version */
    public String version() {
        return version;
    }

    /** @return the description, possibly empty */
    public String description() {
        return description;
    }

    /** @return the model file section */
    public ModelFile model() {
        return model;
    }

    /** @return the audio section */
    public Audio audio() {
        return audio;
    }

    /** @return the speech gate (defaults when the card has none) */
    public SpeechGate speechGate() {
        return speechGate;
    }

    /** @return the features section */
    public Features features() {
        return features;
    }

    /** @return the input section */
    public Input input() {
        return input;
    }

    /** @return the output section */
    public Output output() {
        return output;
    }

    /** @return the streaming defaults (derived from the audio section when the card has none) */
    public Streaming streaming() {
        return streaming;
    }

    /** @return {@code provenance.license}, or {@code "unknown"} */
    public String license() {
        return license;
    }

    /** @return the provenance object as compact JSON ({@code "{}"} when absent) */
    public String provenanceJson() {
        return provenanceJson;
    }

    @Override
    public String toString() {
        return "ModelCard[" + name + " " + version + " from " + source + "]";
    }
}
