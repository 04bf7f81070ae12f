package io.github.ser4j.examples.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.ModelInfo;

/**
 * The JSON description of a model, one shape for {@code ser models --format json} and the server's
 * {@code GET /api/v1/model}: {@code name, version, labels, sample_rate, window_s, hop_s, license, description}.
 */
public final class ModelJson {
    private ModelJson() {
    }

    /**
     * @param m a model
     * @return a new object with the model's fields
     */
    public static ObjectNode of(ModelInfo m) {
        return put(Json.MAPPER.createObjectNode(), m);
    }

    /**
     * Appends the model's fields to {@code o}, after those it has already.
     *
     * @param o an object to fill
     * @param m a model
     * @return {@code o}
     */
    public static ObjectNode put(ObjectNode o, ModelInfo m) {
        o.put("name", m.name());
        o.put("version", m.version());
        ArrayNode labels = o.putArray("labels");
        m.labels().forEach(labels::add);
        o.put("sample_rate", m.sampleRate());
        o.put("window_s", m.windowSeconds());
        o.put("hop_s", m.hopSeconds());
        o.put("license", m.license());
        o.put("description", m.description());
        return o;
    }
}
