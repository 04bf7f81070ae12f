package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.api.ModelException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed reads of one JSON object of a card, with the field's JSON path in every error message, and a check that no
 * unknown field is left over. Not thread-safe; used during parsing only.
 */
final class JsonFields {
    private final String source;
    private final String path;
    private final JsonNode node;
    private final Set<String> seen = new LinkedHashSet<>();

    private JsonFields(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    static JsonFields object(String source, String path, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw error(source, path, "must be a JSON object, got " + describe(node));
        }
        return new JsonFields(source, path, node);
    }

    static ModelException error(String source, String path, String message) {
        return new ModelException("model card " + source + ": " + (path.isEmpty() ? "" : path + " ") + message);
    }

    ModelException error(String field, String message) {
        return error(source, child(field), message);
    }

    String source() {
        return source;
    }

    String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String text = n.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return n.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + text;
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** {@return the raw node, or null when absent (JSON null is returned as a NullNode)} */
    JsonNode raw(String field) {
        seen.add(field);
        return node.get(field);
    }

    JsonNode required(String field) {
        JsonNode n = raw(field);
        if (n == null) {
            throw error(field, "is required but missing");
        }
        return n;
    }

    JsonFields object(String field, boolean required) {
        JsonNode n = required ? required(field) : raw(field);
        if (n == null) {
            return null;
        }
        return object(source, child(field), n);
    }

    String string(String field, String fallback) {
        JsonNode n = raw(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw error(field, "must be a string, got " + describe(n));
        }
        return n.textValue();
    }

    String requiredString(String field) {
        required(field);
        String s = string(field, null);
        if (s.isEmpty()) {
            throw error(field, "must not be empty");
        }
        return s;
    }

    boolean bool(String field, boolean fallback) {
        JsonNode n = raw(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(field, "must be true or false, got " + describe(n));
        }
        return n.booleanValue();
    }

    static boolean isInteger(JsonNode n) {
        return n != null && n.isNumber() && (n.isIntegralNumber()
                || (Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())));
    }

    int integer(String field, int fallback, int min, int max) {
        JsonNode n = raw(field);
        if (n == null) {
            return fallback;
        }
        return checkInt(child(field), n, min, max);
    }

    int checkInt(String fieldPath, JsonNode n, int min, int max) {
        if (!isInteger(n)) {
            throw error(source, fieldPath, "must be an integer, got " + describe(n));
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw error(source, fieldPath, "must be in " + min + ".." + max + ", got " + n.asText());
        }
        return (int) v;
    }

    double number(String field, double fallback, double min, double max, boolean minExclusive) {
        JsonNode n = raw(field);
        if (n == null) {
            return fallback;
        }
        return checkNumber(child(field), n, min, max, minExclusive);
    }

    double checkNumber(String fieldPath, JsonNode n, double min, double max, boolean minExclusive) {
        if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw error(source, fieldPath, "must be a finite number, got " + describe(n));
        }
        double v = n.doubleValue();
        if (v < min || v > max || (minExclusive && v == min)) {
            throw error(source, fieldPath, "must be in " + (minExclusive ? "(" : "[") + min + ", " + max + "], got "
                    + n.asText());
        }
        return v;
    }

    /** A string from a fixed set; the error lists the set. */
    String choice(String field, String fallback, String... allowed) {
        String s = string(field, fallback);
        if (s == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equals(s)) {
                return s;
            }
        }
        throw error(field, "must be one of " + String.join(", ", allowed) + "; got \"" + s + "\"");
    }

    List<String> stringList(String field) {
        JsonNode n = required(field);
        if (!n.isArray()) {
            throw error(field, "must be an array of strings, got " + describe(n));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual() || e.textValue().isEmpty()) {
                throw error(source, child(field) + "[" + i + "]", "must be a non-empty string, got " + describe(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    double[] numberArray(String field) {
        JsonNode n = required(field);
        if (!n.isArray() || n.isEmpty()) {
            throw error(field, "must be a non-empty array of numbers, got " + describe(n));
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = checkNumber(child(field) + "[" + i + "]", n.get(i), -Double.MAX_VALUE, Double.MAX_VALUE, false);
        }
        return out;
    }

    /** Rejects fields that were never read: they are almost always typos. */
    void finish() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!seen.contains(f)) {
                unknown.add(f);
            }
        }
        if (!unknown.isEmpty()) {
            throw error(source, path.isEmpty() ? "(top level)" : path, "has unknown field" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + "; known fields are " + seen);
        }
    }
}
