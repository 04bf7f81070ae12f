package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.onnx.card.ModelCard.Adaptation;
import io.github.ser4j.onnx.card.ModelCard.AdaptationType;
import io.github.ser4j.onnx.card.ModelCard.Aggregate;
import io.github.ser4j.onnx.card.ModelCard.AggregateAxis;
import io.github.ser4j.onnx.card.ModelCard.Feature;
import io.github.ser4j.onnx.card.ModelCard.Features;
import io.github.ser4j.onnx.card.ModelCard.Frames;
import io.github.ser4j.onnx.card.ModelCard.Normalization;
import io.github.ser4j.onnx.card.ModelCard.NormalizationType;
import io.github.ser4j.onnx.card.ModelCard.Position;
import io.github.ser4j.onnx.card.ModelCard.Stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.github.ser4j.onnx.card.ModelCardReader.position;

/**
 * Reads a card's {@code features} section: the stack (each feature's librosa parameters and deltas), frames,
 * aggregation, normalisation and speaker adaptation. Stateless; checks across sections are {@link CardChecks}'.
 */
final class FeaturesReader {
    private FeaturesReader() {
    }

    static Features parseFeatures(JsonFields f) {
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
}
