package io.github.ser4j.examples.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format version 1.0): a little-endian float32 ({@code <f4}) C-order 2-D array, as
 * {@code numpy.save} writes it, so {@code numpy.load} reads it back unchanged. Stateless and thread-safe.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private Npy() {
    }

    /**
     * @param path destination (replaced if it exists)
     * @param rows number of rows
     * @param cols number of columns
     * @param data {@code rows * cols} values, row-major; not modified
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if the sizes disagree
     */
    public static void writeFloat32(Path path, int rows, int cols, float[] data) throws IOException {
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " does not match " + data.length + " values");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        // Header (magic + 2-byte length + dict + padding + '\n') is a multiple of 64 bytes, as numpy writes it.
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            out.write(MAGIC);
            int len = header.length();
            out.write(len & 0xff);
            out.write((len >>> 8) & 0xff);
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }
}
