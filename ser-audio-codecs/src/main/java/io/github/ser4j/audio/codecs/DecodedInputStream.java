package io.github.ser4j.audio.codecs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decoded PCM as the byte stream a javax.sound {@code AudioInputStream} wraps: subclasses decode one packet or frame
 * at a time into {@link #out}, which {@link #read(byte[], int, int)} drains. Not thread-safe.
 */
abstract class DecodedInputStream extends InputStream {
    /** Decoded bytes not yet read: {@code out[pos, limit)}. */
    protected byte[] out = new byte[0];
    protected int pos;
    protected int limit;
    private boolean eof;
    private boolean closed;

    /**
     * Decodes the next unit into {@code out[0, limit)} (setting {@code pos = 0}); {@code false} at the end.
     *
     * @throws IOException if the underlying stream fails
     */
    protected abstract boolean decodeMore() throws IOException;

    /** Releases the decoder and the underlying stream. */
    protected abstract void release() throws IOException;

    protected final void ensureOut(int bytes) {
        if (out.length < bytes) {
            out = new byte[Math.max(bytes, 2 * out.length)];
        }
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (pos >= limit) {
            if (eof || closed) {
                return -1;
            }
            pos = 0;
            limit = 0;
            if (!decodeMore()) {
                eof = true;
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public final int available() {
        return limit - pos;
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
