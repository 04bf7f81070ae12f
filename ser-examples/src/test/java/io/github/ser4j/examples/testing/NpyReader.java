package io.github.ser4j.examples.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the 2-D little-endian float32 C-order .npy files numpy.save writes (for comparing with goldens). */
public final class NpyReader {
    /** Number of rows. */
    public final int rows;
    /** Number of columns. */
    public final int cols;
    /** Row-major values. */
    public final float[] data;

    private NpyReader(int rows, int cols, float[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** @return the array in {@code path} */
    public static NpyReader read(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (!new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY") || (magic[0] & 0xff) != 0x93) {
            throw new IOException(path + ": not a .npy file");
        }
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? b.getShort() & 0xffff : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
            throw new IOException(path + ": expected C-order <f4, got " + header);
        }
        Matcher m = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
        if (!m.find()) {
            throw new IOException(path + ": expected a 2-D shape, got " + header);
        }
        int rows = Integer.parseInt(m.group(1));
        int cols = Integer.parseInt(m.group(2));
        float[] data = new float[rows * cols];
        b.asFloatBuffer().get(data);
        return new NpyReader(rows, cols, data);
    }
}
