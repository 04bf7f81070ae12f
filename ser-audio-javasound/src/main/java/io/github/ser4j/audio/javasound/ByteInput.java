package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.CorruptAudioException;

import java.io.IOException;
import java.io.InputStream;

/**
 * A byte stream for header parsing: counts its position, reads fixed-width integers in either byte order, skips
 * without allocating, can push back a few bytes, and turns an early end of the stream into a
 * {@link CorruptAudioException} that names the input, what was being read and where. Never allocates by a size read
 * from the input.
 *
 * <p>Not thread-safe; used by the one thread opening a file.
 */
final class ByteInput extends InputStream {
    private static final int PUSHBACK = 16;

    private final InputStream in;
    private final String name;
    private final long length;
    private final byte[] pushback = new byte[PUSHBACK];
    private int pushed;
    private final byte[] scratch = new byte[8];
    private long position;

    /**
     * @param in     the stream, positioned at its start
     * @param name   what to call it in messages
     * @param length its total length when known, else -1
     */
    ByteInput(InputStream in, String name, long length) {
        this.in = in;
        this.name = name;
        this.length = length;
    }

    String name() {
        return name;
    }

    /** {@return bytes consumed so far} */
    long position() {
        return position;
    }

    /** {@return the total length of the input, or -1 when unknown (a stream)} */
    long length() {
        return length;
    }

    /** {@return bytes left after the position, or {@link Long#MAX_VALUE} when the length is unknown} */
    long remaining() {
        return length < 0 ? Long.MAX_VALUE : Math.max(0, length - position);
    }

    @Override
    public int read() throws IOException {
        if (pushed > 0) {
            position++;
            return pushback[--pushed] & 0xFF;
        }
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (pushed > 0 && n < len) {
            b[off + n++] = pushback[--pushed];
        }
        if (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r > 0) {
                n += r;
            } else if (n == 0) {
                return -1;
            }
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (pushed > 0 && done < n) {
            pushed--;
            done++;
        }
        if (done < n) {
            long s = in.skip(n - done);
            if (s > 0) {
                done += s;
            }
        }
        position += done;
        return done;
    }

    @Override
    public int available() throws IOException {
        return pushed + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Puts bytes back, to be read again next (at most 16 at a time). */
    void unread(byte[] b, int off, int len) {
        if (pushed + len > PUSHBACK) {
            throw new IllegalStateException("pushback overflow");
        }
        for (int i = off + len - 1; i >= off; i--) {
            pushback[pushed++] = b[i];
        }
        position -= len;
    }

    /**
     * Reads up to {@code len} bytes, fewer only at the end of the stream.
     *
     * @return the number of bytes read
     */
    int readUpTo(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** Reads exactly {@code len} bytes or fails with a {@link CorruptAudioException} about {@code what}. */
    void readFully(byte[] b, int off, int len, String what) throws IOException {
        long at = position;
        int n = readUpTo(b, off, len);
        if (n < len) {
            throw truncated(what, at, len, n);
        }
    }

    /** Skips exactly {@code n} bytes or fails with a {@link CorruptAudioException} about {@code what}. */
    void skipFully(long n, String what) throws IOException {
        long at = position;
        long left = n;
        while (left > 0) {
            long s = skip(left);
            if (s <= 0) {
                // skip() may legitimately return 0 before the end: confirm with a read
                if (read() < 0) {
                    throw truncated(what, at, n, n - left);
                }
                s = 1;
            }
            left -= s;
        }
    }

    int u8(String what) throws IOException {
        readFully(scratch, 0, 1, what);
        return scratch[0] & 0xFF;
    }

    long u32be(String what) throws IOException {
        readFully(scratch, 0, 4, what);
        return be32(scratch, 0);
    }

    static long le32(byte[] b, int o) {
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
    }

    static long be32(byte[] b, int o) {
        return (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFFL) << 16 | (b[o + 2] & 0xFFL) << 8 | (b[o + 3] & 0xFFL);
    }

    static long le64(byte[] b, int o) {
        return le32(b, o) | le32(b, o + 4) << 32;
    }

    /** {@return the four bytes as text, non-printable ones escaped, for messages} */
    static String fourcc(byte[] b, int o) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = o; i < o + 4; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.toString();
    }

    /** {@return whether the four bytes could be a chunk identifier (printable ASCII)} */
    static boolean plausibleId(byte[] b, int o) {
        for (int i = o; i < o + 4; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    CorruptAudioException truncated(String what, long at, long needed, long got) {
        return new CorruptAudioException(name + ": truncated " + what + ": needed " + needed + " bytes at offset " + at
                + " but the data ends after " + got);
    }

    CorruptAudioException corrupt(String message) {
        return new CorruptAudioException(name + ": " + message);
    }
}
