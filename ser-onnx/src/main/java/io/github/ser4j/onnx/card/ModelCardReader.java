package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.AudioNormalization;
import io.github.ser4j.onnx.card.ModelCard.DType;
import io.github.ser4j.onnx.card.ModelCard.Denoise;
import io.github.ser4j.onnx.card.ModelCard.Features;
import io.github.ser4j.onnx.card.ModelCard.Input;
import io.github.ser4j.onnx.card.ModelCard.Layout;
import io.github.ser4j.onnx.card.ModelCard.ModelFile;
import io.github.ser4j.onnx.card.ModelCard.Output;
import io.github.ser4j.onnx.card.ModelCard.OutputKind;
import io.github.ser4j.onnx.card.ModelCard.Position;
import io.github.ser4j.onnx.card.ModelCard.Regression;
import io.github.ser4j.onnx.card.ModelCard.SpeechGate;
import io.github.ser4j.onnx.card.ModelCard.Streaming;

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

import static io.github.ser4j.onnx.card.ModelCard.FORMAT;
import static io.github.ser4j.onnx.card.ModelCard.MAX_CARD_BYTES;
import static io.github.ser4j.onnx.card.ModelCard.SCHEMA_VERSION;

/**
 * Reads a card's JSON into a {@link ModelCard}: the bytes, the top level and every section but {@code features}
 * ({@link FeaturesReader}), then the checks across sections ({@link CardChecks}). Stateless.
 */
final class ModelCardReader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelCardReader() {
    }

    /** See {@link ModelCard#read(Path)}. */
    static ModelCard read(Path card) {
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

    /** See {@link ModelCard#parse(byte[], String)}. */
    static ModelCard parse(byte[] json, String source) {
        return fromTree(source, tree(json, source));
    }

    /** The JSON tree of a card's bytes (size-checked); shared with {@link EnsembleCardReader}. */
    static JsonNode tree(byte[] json, String source) {
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
        return root;
    }

    /** See {@link ModelCard#looksLikeCard(byte[])}. */
    static boolean looksLikeCard(byte[] json) {
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

    /**
     * The top level of a card with its {@code format} and {@code schema_version} checked; shared with
     * {@link EnsembleCardReader}.
     */
    static JsonFields header(String source, JsonNode root) {
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
        return top;
    }

    /** {@code provenance} as compact JSON ({@code "{}"} when absent), and its licence ({@code "unknown"}). */
    static String[] provenance(JsonFields top) {
        JsonNode prov = top.raw("provenance");
        if (prov != null && !prov.isObject()) {
            throw top.error("provenance", "must be a JSON object, got " + JsonFields.describe(prov));
        }
        JsonNode lic = prov == null ? null : prov.get("license");
        return new String[] {prov == null ? "{}" : prov.toString(),
                lic != null && lic.isTextual() ? lic.textValue() : "unknown"};
    }

    private static ModelCard fromTree(String source, JsonNode root) {
        JsonFields top = header(source, root);
        if (top.has(EnsembleCardReader.ENSEMBLE)) {
            throw new ModelException("model card " + source + " is an ensemble card (it has \"ensemble\"), but a "
                    + "single-model card is expected here; load ensemble cards with OnnxEmotionRecognizer.load or "
                    + "EmotionRecognizer.create, read them with EnsembleCard.parse");
        }
        String name = top.requiredString("name");
        String cardVersion = top.requiredString("version");
        String description = top.string("description", "");
        ModelFile model = parseModel(top.object("model", true));
        Audio audio = parseAudio(top.object("audio", true));
        SpeechGate speechGate = parseGate(top.object("speech_gate", false));
        Features features = FeaturesReader.parseFeatures(top.object("features", true));
        Input input = parseInput(top.object("input", true));
        Output output = parseOutput(top.object("output", true));
        Streaming streaming = parseStreaming(top.object("streaming", false), audio);
        String[] provenance = provenance(top);
        String provenanceJson = provenance[0];
        String license = provenance[1];
        top.finish();
        CardChecks.check(source, audio, features);
        return new ModelCard(source, name, cardVersion, description, model, audio, speechGate, features, input,
                output, streaming, license, provenanceJson);
    }

    private static ModelFile parseModel(JsonFields f) {
        String file = f.requiredString("file");
        String sha = f.string("sha256", null);
        if (sha != null && !sha.matches("[0-9a-f]{64}")) {
            throw f.error("sha256", "must be 64 lowercase hexadecimal digits, got \"" + sha + "\"");
        }
        f.finish();
        return new ModelFile(file, Optional.ofNullable(sha));
    }

    /** Reads a crop/pad position; shared with {@link FeaturesReader} ({@code features.frames}). */
    static Position position(JsonFields f, String field, String fallback, boolean allowNone) {
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
        OutputAdaptation adapt = parseOutputAdapt(f.object("adapt", false));
        f.finish();
        return new Output(outputName, kind, List.copyOf(labels), Collections.unmodifiableMap(av),
                Optional.ofNullable(regression), Optional.ofNullable(adapt));
    }

    /** {@code output.adapt}: the defaults are training/output_adapt.py's. */
    private static OutputAdaptation parseOutputAdapt(JsonFields a) {
        if (a == null) {
            return null;
        }
        a.required("type");
        a.choice("type", null, "demote_excess");
        double priorCount = a.number("prior_count", 3, 0, 1e9, false);
        double strength = a.number("strength", 1, 0, 1e6, false);
        double floor = a.number("floor", 1e-7, -Double.MAX_VALUE, Double.MAX_VALUE, false);
        if (!(floor > 0 && floor < 1)) {
            throw a.error("floor", "must be in (0, 1), got " + a.raw("floor").asText());
        }
        a.finish();
        return new OutputAdaptation(OutputAdaptation.Type.DEMOTE_EXCESS, priorCount, strength, floor);
    }

    private static Streaming parseStreaming(JsonFields f, Audio audio) {
        return parseStreaming(f, audio.durationSeconds().orElse(3.0));
    }

    /**
     * Reads a {@code streaming} section (null: absent) with a default window; shared with {@link EnsembleCardReader}.
     */
    static Streaming parseStreaming(JsonFields f, double defaultWindow) {
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
}
