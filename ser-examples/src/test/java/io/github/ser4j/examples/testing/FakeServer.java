package io.github.ser4j.examples.testing;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.TestFiles;
import io.github.ser4j.examples.server.Recognizers;
import io.github.ser4j.examples.server.SerServer;
import io.github.ser4j.examples.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SerServer} on a loopback ephemeral port over the transparent fake model ({@link FakeRecognizer}, labels
 * calm and loud), with the temporary card that model needs. {@link #close()} stops the server, closes the recognisers
 * and deletes the card, in that order. Requests may choose {@code denoise}: the server's recogniser has it off, the
 * other is opened on demand ({@link #recognizers()}). Not thread-safe to close; the server itself is.
 */
public final class FakeServer implements AutoCloseable {
    private final Path dir;
    private final Recognizers recognizers;
    private final List<FakeRecognizer> opened;
    private final SerServer server;

    private FakeServer(Path dir, Recognizers recognizers, List<FakeRecognizer> opened, SerServer server) {
        this.dir = dir;
        this.recognizers = recognizers;
        this.opened = opened;
        this.server = server;
    }

    /**
     * @param block           whether the fake model blocks on {@link FakeRecognizer#gate} (to hold requests open)
     * @param windowSeconds   stream window
     * @param hopSeconds      stream hop
     * @param maxUploadBytes  the server's upload limit
     * @param maxAudioSeconds the server's audio-length limit
     * @param maxConcurrent   the server's concurrent-recognition limit
     * @return a started server
     * @throws IOException when the card cannot be written
     */
    public static FakeServer start(boolean block, double windowSeconds, double hopSeconds, long maxUploadBytes,
            double maxAudioSeconds, int maxConcurrent) throws IOException {
        Path dir = Files.createTempDirectory("ser4j-fake-server");
        Path card = Files.writeString(dir.resolve("m.fake.json"),
                "{\"labels\": [\"calm\", \"loud\"], \"block\": " + block + "}");
        List<FakeRecognizer> opened = new CopyOnWriteArrayList<>();
        Recognizers recognizers = Recognizers.open(o -> {
            FakeRecognizer r = (FakeRecognizer) EmotionRecognizer.create(card, o);
            opened.add(r);
            return r;
        }, RecognizerOptions.defaults());
        try {
            SerServer server = new SerServer(recognizers,
                    StreamOptions.builder().windowSeconds(windowSeconds).hopSeconds(hopSeconds).build(),
                    new ServerConfig("127.0.0.1", 0, maxUploadBytes, maxAudioSeconds, maxConcurrent));
            return new FakeServer(dir, recognizers, opened, server);
        } catch (RuntimeException e) {
            recognizers.close();
            delete(dir);
            throw e;
        }
    }

    /** @return the running server */
    public SerServer server() {
        return server;
    }

    /** @return the recognisers opened so far: the server's (denoise off), then the denoising one once asked for */
    public List<FakeRecognizer> recognizers() {
        return List.copyOf(opened);
    }

    /** @return the server's base URI */
    public URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            recognizers.close();
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try {
            TestFiles.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the fake card's folder " + dir, e);
        }
    }
}
