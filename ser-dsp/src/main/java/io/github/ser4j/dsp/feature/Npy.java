package io.github.ser4j.dsp.feature;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array, for exchanging feature matrices with Python: {@link #writeFloat32} writes a 2-D
 * little-endian float32 C-order array byte for byte as {@code numpy.save} does (format 1.0), and {@link #read} reads
 * little-endian float32 or float64 C-order arrays of any rank (formats 1.0 to 3.0). Immutable.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private final int[] shape;
    private final double[] values;
    private final boolean float32;

    private Npy(int[] shape, double[] values, boolean float32) {
        this.shape = shape;
        this.values = values;
        this.float32 = float32;
    }

    /**
     * Writes a 2-D float32 array.
     *
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

    /**
     * @param path an {@code .npy} file
     * @return its array
     * @throws IOException if unreadable, not an {@code .npy} file, or of an unsupported type
     */
    public static Npy read(Path path) throws IOException {
        try {
            return read(Files.newInputStream(path));
        } catch (IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param in the bytes of an {@code .npy} file (closed by this method; wrap gzip-compressed ones in a
     *           {@link java.util.zip.GZIPInputStream} first)
     * @return its array
     * @throws IOException if unreadable, not an {@code .npy} file, or of an unsupported type
     */
    public static Npy read(InputStream in) throws IOException {
        try (DataInputStream data = new DataInputStream(in)) {
            byte[] magic = new byte[6];
            data.readFully(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new IOException("not a .npy file");
            }
            int major = data.readUnsignedByte();
            data.readUnsignedByte();
            int headerLength;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
            } else {
                headerLength = Integer.reverseBytes(data.readInt());
            }
            byte[] headerBytes = new byte[headerLength];
            data.readFully(headerBytes);
            String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher o = ORDER.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !o.find() || !s.find()) {
                throw new IOException("unsupported .npy header: " + header);
            }
            int size = Integer.parseInt(d.group(3));
            if (d.group(1).equals(">") || !d.group(2).equals("f") || (size != 4 && size != 8)
                    || o.group(1).equals("True")) {
                throw new IOException("only little-endian C-order float32/float64 arrays are supported: " + header);
            }
            int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            int n = 1;
            for (int dim : shape) {
                n *= dim;
            }
            byte[] raw = data.readNBytes(n * size);
            if (raw.length != n * size) {
                throw new IOException("truncated .npy data");
            }
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = size == 4 ? buf.getFloat() : buf.getDouble();
            }
            return new Npy(shape, values, size == 4);
        }
    }

    /** {@return a copy of the shape ({@code []} for a scalar)} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return whether the file stored float32 (rather than float64) values} */
    public boolean isFloat32() {
        return float32;
    }

    /** {@return a copy of the values, row-major, widened to double} */
    public double[] values() {
        return values.clone();
    }

    /** {@return the values as floats, row-major (exact for float32 files)} */
    public float[] floats() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /**
     * @return a 2-D array as rows of floats
     * @throws IllegalStateException if the array is not 2-D
     */
    public float[][] rows() {
        if (shape.length != 2) {
            throw new IllegalStateException("not 2-D: " + Arrays.toString(shape));
        }
        float[][] r = new float[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                r[i][j] = (float) values[i * shape[1] + j];
            }
        }
        return r;
    }
}
