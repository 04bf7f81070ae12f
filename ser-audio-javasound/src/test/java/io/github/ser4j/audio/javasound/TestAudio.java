package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Helpers shared by the tests: fixtures, references, reading sources to the end. */
final class TestAudio {
    private TestAudio() {
    }

    /** One row of fixtures.csv (written by make_fixtures.sh from soxi / ffprobe). */
    record Fixture(String file, String container, String encoding, int sampleRate, int channels, int bits, long frames,
                   String reference) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Path fixture(String name) {
        URL url = TestAudio.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name + "; run make_fixtures.sh");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Fixture> fixtures() {
        try {
            List<String> lines = Files.readAllLines(fixture("fixtures.csv"));
            List<Fixture> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                out.add(new Fixture(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]), Long.parseLong(f[6]), f[7]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sox's (or ffmpeg's) decoding of a fixture: interleaved little-endian float32. */
    static float[] reference(String fixtureName) {
        String base = fixtureName.substring(0, fixtureName.lastIndexOf('.'));
        try {
            byte[] raw = Files.readAllBytes(fixture(base + ".f32"));
            float[] out = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sox's 32-bit integer decoding of a fixture finer than 24 bits, as value / 2^31 in double; null if none. */
    static double[] reference32(String fixtureName) {
        String base = fixtureName.substring(0, fixtureName.lastIndexOf('.'));
        java.net.URL url = TestAudio.class.getResource("/fixtures/" + base + ".s32");
        if (url == null) {
            return null;
        }
        try {
            byte[] raw = Files.readAllBytes(fixture(base + ".s32"));
            int[] ints = new int[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
            double[] out = new double[ints.length];
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i] / 2147483648.0;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a source to its end, {@code chunk} frames at a time, and closes it. */
    static float[] readAll(AudioSource src, int chunk) throws IOException {
        try (src) {
            int ch = src.format().channels();
            float[] buf = new float[chunk * ch];
            float[] out = new float[1024];
            int n = 0;
            int got;
            while ((got = src.read(buf, 0, chunk)) > 0) {
                if (n + got * ch > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, n + got * ch));
                }
                System.arraycopy(buf, 0, out, n, got * ch);
                n += got * ch;
            }
            return Arrays.copyOf(out, n);
        }
    }

    static byte[] bytes(String fixtureName) {
        try {
            return Files.readAllBytes(fixture(fixtureName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream stream(String fixtureName) {
        try {
            return Files.newInputStream(fixture(fixtureName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
