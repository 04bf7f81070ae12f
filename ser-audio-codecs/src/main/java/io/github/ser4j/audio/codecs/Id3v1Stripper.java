package io.github.ser4j.audio.codecs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a stream through but drops a trailing 128-byte ID3v1 tag ("TAG..."): JLayer checks that each frame is
 * followed by another frame header or the end, so a tag after the last frame made it drop that frame. Holds back 128
 * bytes until the end is seen. Not thread-safe.
 */
final class Id3v1Stripper extends InputStream {
    static final int TAG = 128;
    private final InputStream in;
    private final byte[] buf = new byte[(1 << 16) + TAG];
    private int start;
    private int end;
    private boolean eof;

    Id3v1Stripper(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            int safe = eof ? tailEnd() - start : end - start - TAG;
            if (safe > 0) {
                int n = Math.min(len, safe);
                System.arraycopy(buf, start, b, off, n);
                start += n;
                return n;
            }
            if (eof) {
                return -1;
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
    }

    /** At the end: where the data stops, before an ID3v1 tag if the last 128 bytes are one. */
    private int tailEnd() {
        if (end - start >= TAG && buf[end - TAG] == 'T' && buf[end - TAG + 1] == 'A' && buf[end - TAG + 2] == 'G') {
            return end - TAG;
        }
        return end;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
