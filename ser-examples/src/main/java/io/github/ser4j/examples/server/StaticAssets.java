package io.github.ser4j.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The files the server serves from its jar: the demo page, the OpenAPI document and the sample clips. */
final class StaticAssets {
    /** The sample clips the page offers (made by {@code ser-examples/samples/make_samples.sh}). */
    static final List<String> SAMPLES = List.of("hello", "upset", "calm", "conversation");
    private static final String SAMPLES_PATH = "/samples/";

    final byte[] page = resource("index.html");
    final byte[] openApi = resource("openapi.json");

    /** {@return whether {@code path} is {@code /samples/{name}.wav} of one of {@link #SAMPLES}} */
    static boolean isSample(String path) {
        return path.startsWith(SAMPLES_PATH) && path.endsWith(".wav")
                && SAMPLES.contains(path.substring(SAMPLES_PATH.length(), path.length() - 4));
    }

    /** The bytes of the sample clip at {@code path}, one {@link #isSample(String)} accepts; read on each request. */
    static byte[] sample(String path) {
        return resource("samples/" + path.substring(SAMPLES_PATH.length()));
    }

    private static byte[] resource(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the demo's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
