package io.github.ser4j.dsp.signal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads the goldens written by {@code src/test/python/make_signal_goldens.py} (float32 LE files and index.tsv). */
final class SignalsTestData {
    private static final String DIR = "/golden/signal/";

    private SignalsTestData() {
    }

    /** @return the index rows of one kind ("resample", "preemphasis", "to_mono"), tab-split, kind dropped */
    static List<String[]> index(String kind) {
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(bytes("index.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[0].equals(kind)) {
                rows.add(java.util.Arrays.copyOfRange(f, 1, f.length));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("no '" + kind + "' rows in " + DIR + "index.tsv");
        }
        return rows;
    }

    static float[] floats(String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = SignalsTestData.class.getResourceAsStream(DIR + name)) {
            return Objects.requireNonNull(in, "missing golden " + DIR + name + ": run make_signal_goldens.py")
                    .readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return 10 log10(sum ref^2 / sum (x - ref)^2), in double */
    static double snrDb(float[] x, float[] ref) {
        if (x.length != ref.length) {
            throw new AssertionError("length " + x.length + " != " + ref.length);
        }
        double s = 0;
        double e = 0;
        for (int i = 0; i < ref.length; i++) {
            s += (double) ref[i] * ref[i];
            double d = (double) x[i] - ref[i];
            e += d * d;
        }
        return 10 * Math.log10(s / e);
    }

    static double maxAbsError(float[] x, float[] ref) {
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            m = Math.max(m, Math.abs((double) x[i] - ref[i]));
        }
        return m;
    }
}
