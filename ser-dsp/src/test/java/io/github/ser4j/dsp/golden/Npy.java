package io.github.ser4j.dsp.golden;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Minimal reader of (gzip-compressed) NumPy .npy files: little-endian float32/float64, C order, version 1-3. */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** Shape of the array ({@code []} for a scalar). */
    public final int[] shape;
    /** Values, row-major, widened to double. */
    public final double[] data;
    /** True if stored as float32. */
    public final boolean float32;

    private Npy(int[] shape, double[] data, boolean float32) {
        this.shape = shape;
        this.data = data;
        this.float32 = float32;
    }

    /**
     * @param in gzip-compressed .npy bytes (closed by this method)
     * @return the array
     * @throws IOException if unreadable or of an unsupported type
     */
    public static Npy read(InputStream in) throws IOException {
        try (DataInputStream data = new DataInputStream(new GZIPInputStream(in))) {
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
            if (d.group(1).equals(">") || !d.group(2).equals("f") || o.group(1).equals("True")) {
                throw new IOException("only little-endian C-order float arrays are supported: " + header);
            }
            int size = Integer.parseInt(d.group(3));
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

    /** @return the values as floats (exact for float32 files) */
    public float[] floats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    /** @return a 2-D array as rows of floats */
    public float[][] rows() {
        if (shape.length != 2) {
            throw new IllegalStateException("not 2-D: " + Arrays.toString(shape));
        }
        float[][] r = new float[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                r[i][j] = (float) data[i * shape[1] + j];
            }
        }
        return r;
    }
}
