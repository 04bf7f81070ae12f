package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The features a model card can name, with their librosa names, parameters and librosa 0.11 defaults (see
 * {@code docs/model-card.md}).
 *
 * <p>Immutable and thread-safe.
 */
public enum FeatureKind {
    /** The samples themselves: one row, one column per sample. No parameters. */
    WAVEFORM("waveform"),
    /** {@code np.abs(librosa.stft(y, ...)) ** power}: {@code 1 + n_fft/2} rows. */
    STFT("stft", stft(-1), p("power", Type.POSITIVE, 1.0)),
    /** {@code librosa.feature.melspectrogram}: {@code n_mels} rows. */
    MELSPECTROGRAM("melspectrogram", (Object) mel("norm")),
    /** {@code librosa.power_to_db(librosa.feature.melspectrogram(...), ref, amin, top_db)}: {@code n_mels} rows. */
    LOG_MELSPECTROGRAM("log_melspectrogram", mel("norm"), p("ref", Type.REF, 1.0), p("amin", Type.POSITIVE, 1e-10),
            p("top_db", Type.TOP_DB, 80.0)),
    /** {@code librosa.feature.mfcc}: {@code n_mfcc} rows. */
    MFCC("mfcc", mel("mel_norm"), p("norm", Type.DCT_NORM, "ortho"), p("n_mfcc", Type.INT, 20),
            p("dct_type", Type.DCT_TYPE, 2), p("lifter", Type.NON_NEGATIVE, 0.0), p("top_db", Type.TOP_DB, 80.0)),
    /** {@code librosa.feature.chroma_stft}: {@code n_chroma} rows. */
    CHROMA_STFT("chroma_stft", stft(512), p("power", Type.POSITIVE, 2.0), p("n_chroma", Type.INT, 12),
            p("tuning", Type.NUMBER_OR_NULL, null), p("norm", Type.CHROMA_NORM, Double.POSITIVE_INFINITY)),
    /** {@code librosa.feature.rms}: one row. */
    RMS("rms", p("frame_length", Type.INT, 2048), p("hop_length", Type.INT, 512), p("center", Type.BOOL, true),
            p("pad_mode", Type.PAD_MODE, "constant")),
    /** {@code librosa.feature.zero_crossing_rate}: one row. */
    ZERO_CROSSING_RATE("zero_crossing_rate", p("frame_length", Type.INT, 2048), p("hop_length", Type.INT, 512),
            p("center", Type.BOOL, true), p("threshold", Type.NON_NEGATIVE, 1e-10), p("zero_pos", Type.BOOL, true)),
    /** {@code librosa.feature.spectral_centroid}: one row. */
    SPECTRAL_CENTROID("spectral_centroid", (Object) stft(512)),
    /** {@code librosa.feature.spectral_bandwidth}: one row. */
    SPECTRAL_BANDWIDTH("spectral_bandwidth", stft(512), p("p", Type.POSITIVE, 2.0), p("norm", Type.BOOL, true)),
    /** {@code librosa.feature.spectral_rolloff}: one row. */
    SPECTRAL_ROLLOFF("spectral_rolloff", stft(512), p("roll_percent", Type.FRACTION, 0.85)),
    /**
     * The 139 clip-level functionals of ser4j's {@code training/functionals.py}
     * ({@link io.github.ser4j.dsp.prosody.Functionals}): 139 rows, one column per clip. No parameters; 16 kHz only;
     * the only feature of its stack.
     */
    FUNCTIONALS("functionals");

    private final String librosaName;
    private final Map<String, Param> params;

    FeatureKind(String librosaName, Object... params) {
        this.librosaName = librosaName;
        Map<String, Param> m = new LinkedHashMap<>();
        for (Object o : params) {
            if (o instanceof Param p) {
                m.put(p.name, p);
            } else {
                for (Param p : (Param[]) o) {
                    m.put(p.name, p);
                }
            }
        }
        this.params = Collections.unmodifiableMap(m);
    }

    /** {@return the name used in cards, e.g. {@code "mfcc"}} */
    public String librosaName() {
        return librosaName;
    }

    /** {@return the parameters a card may give, in documentation order} */
    public java.util.Set<String> parameterNames() {
        return params.keySet();
    }

    /** {@return the librosa default of every parameter ({@code null} where librosa derives it or means None)} */
    public Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        params.values().forEach(p -> m.put(p.name, p.fallback));
        return Collections.unmodifiableMap(m);
    }

    /** {@return whether this feature is computed frame by frame from an STFT (it has {@code n_fft})} */
    public boolean usesStft() {
        return params.containsKey("n_fft");
    }

    /**
     * @param name a card's feature name
     * @return the feature
     * @throws IllegalArgumentException naming the supported features if there is none of that name
     */
    public static FeatureKind fromName(String name) {
        for (FeatureKind k : values()) {
            if (k.librosaName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown feature \"" + name + "\"; supported: " + supportedNames());
    }

    /** {@return the supported card names, comma-separated} */
    public static String supportedNames() {
        return Arrays.stream(values()).map(FeatureKind::librosaName).collect(Collectors.joining(", "));
    }

    Param param(String name) {
        return params.get(name);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** How a parameter value is checked and normalised. */
    enum Type {
        INT, BOOL, POSITIVE, NON_NEGATIVE, FRACTION, NUMBER_OR_NULL, WINDOW, PAD_MODE, MEL_NORM, DCT_NORM, DCT_TYPE,
        TOP_DB, REF, CHROMA_NORM, INT_OR_NULL;

        /** {@return Integer, Double, Boolean, String or null} */
        Object read(JsonFields f, String path, JsonNode n) {
            switch (this) {
                case INT:
                    return f.checkInt(path, n, 1, 1 << 24);
                case INT_OR_NULL:
                    return n.isNull() ? null : f.checkInt(path, n, 1, 1 << 24);
                case DCT_TYPE:
                    if (!JsonFields.isInteger(n) || n.intValue() != 2) {
                        throw JsonFields.error(f.source(), path, "must be 2 (only the type-II DCT is supported, as "
                                + "librosa's default), got " + JsonFields.describe(n));
                    }
                    return 2;
                case BOOL:
                    if (!n.isBoolean()) {
                        throw JsonFields.error(f.source(), path, "must be true or false, got " + JsonFields.describe(n));
                    }
                    return n.booleanValue();
                case POSITIVE:
                    return f.checkNumber(path, n, 0, Double.MAX_VALUE, true);
                case NON_NEGATIVE:
                    return f.checkNumber(path, n, 0, Double.MAX_VALUE, false);
                case FRACTION: {
                    double v = f.checkNumber(path, n, 0, 1, true);
                    if (v >= 1) {
                        throw JsonFields.error(f.source(), path, "must be in (0, 1), got " + v);
                    }
                    return v;
                }
                case NUMBER_OR_NULL:
                    return n.isNull() ? null : f.checkNumber(path, n, -Double.MAX_VALUE, Double.MAX_VALUE, false);
                case TOP_DB:
                    return n.isNull() ? null : f.checkNumber(path, n, 0, Double.MAX_VALUE, false);
                case WINDOW:
                    return oneOf(f, path, n, "hann", "hamming", "boxcar");
                case PAD_MODE:
                    return oneOf(f, path, n, "constant", "reflect", "edge");
                case MEL_NORM:
                    return n.isNull() ? null : oneOf(f, path, n, "slaney");
                case DCT_NORM:
                    return n.isNull() ? null : oneOf(f, path, n, "ortho");
                case REF:
                    if (n.isTextual()) {
                        return oneOf(f, path, n, "max");
                    }
                    return f.checkNumber(path, n, 0, Double.MAX_VALUE, true);
                case CHROMA_NORM:
                    if (n.isNull()) {
                        return null;
                    }
                    if (n.isTextual()) {
                        oneOf(f, path, n, "inf");
                        return Double.POSITIVE_INFINITY;
                    }
                    return f.checkNumber(path, n, 0, Double.MAX_VALUE, true);
                default:
                    throw new AssertionError(this);
            }
        }

        private static String oneOf(JsonFields f, String path, JsonNode n, String... allowed) {
            if (n.isTextual()) {
                for (String a : allowed) {
                    if (a.equals(n.textValue())) {
                        return a;
                    }
                }
            }
            throw JsonFields.error(f.source(), path, "must be " + (allowed.length == 1 ? "\"" + allowed[0] + "\""
                    : "one of " + String.join(", ", allowed)) + ", got " + JsonFields.describe(n));
        }
    }

    /** One parameter: its name, type and librosa default. */
    static final class Param {
        final String name;
        final Type type;
        final Object fallback;

        Param(String name, Type type, Object fallback) {
            this.name = name;
            this.type = type;
            this.fallback = fallback;
        }
    }

    private static Param p(String name, Type type, Object fallback) {
        return new Param(name, type, fallback);
    }

    /** @param hopDefault librosa's default hop_length, or -1 for stft's "win_length // 4" */
    private static Param[] stft(int hopDefault) {
        return new Param[] {
            p("n_fft", Type.INT, 2048),
            hopDefault < 0 ? p("hop_length", Type.INT_OR_NULL, null) : p("hop_length", Type.INT, hopDefault),
            p("win_length", Type.INT_OR_NULL, null),
            p("window", Type.WINDOW, "hann"),
            p("center", Type.BOOL, true),
            p("pad_mode", Type.PAD_MODE, "constant"),
        };
    }

    private static Param[] mel(String filterNormName) {
        Param[] s = stft(512);
        Param[] m = Arrays.copyOf(s, s.length + 6);
        m[s.length] = p("power", Type.POSITIVE, 2.0);
        m[s.length + 1] = p("n_mels", Type.INT, 128);
        m[s.length + 2] = p("fmin", Type.NON_NEGATIVE, 0.0);
        m[s.length + 3] = p("fmax", Type.NUMBER_OR_NULL, null);
        m[s.length + 4] = p("htk", Type.BOOL, false);
        m[s.length + 5] = p(filterNormName, Type.MEL_NORM, "slaney");
        return m;
    }
}
