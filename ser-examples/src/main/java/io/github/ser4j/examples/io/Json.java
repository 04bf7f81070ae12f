package io.github.ser4j.examples.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The shared JSON writer: compact lines for streams, indented documents for files. Thread-safe. */
public final class Json {
    /** The shared mapper; configured once, then only used. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
            MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /**
     * @param node a JSON value
     * @return it on one line, without a line break
     */
    public static String line(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * @param node a JSON value
     * @return it indented over several lines, ending with a line break
     */
    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
