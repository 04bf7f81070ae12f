package io.github.ser4j.audio.javasound;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds (deliberately broken) audio files byte by byte, for the bad-input tests. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Bytes of() {
        return new Bytes();
    }

    Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes le16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    Bytes le32(long v) {
        le16((int) v);
        le16((int) (v >>> 16));
        return this;
    }

    Bytes le64(long v) {
        le32(v);
        le32(v >>> 32);
        return this;
    }

    Bytes be16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Bytes be32(long v) {
        be16((int) (v >>> 16));
        be16((int) v);
        return this;
    }

    Bytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Bytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    /** 16-bit mono samples 0, 100, 200, ... as little-endian bytes. */
    static byte[] ramp16(int samples) {
        Bytes b = of();
        for (int i = 0; i < samples; i++) {
            b.le16(i * 100);
        }
        return b.build();
    }

    /** A "fmt " chunk (16-byte body). */
    static Bytes fmt(int tag, int channels, long rate, int blockAlign, int bits) {
        return of().ascii("fmt ").le32(16).le16(tag).le16(channels).le32(rate).le32(rate * blockAlign)
                .le16(blockAlign).le16(bits);
    }

    /** A whole WAV: RIFF header (size as computed), then the chunks given. */
    static byte[] riff(byte[]... chunks) {
        int size = 4;
        for (byte[] c : chunks) {
            size += c.length;
        }
        Bytes b = of().ascii("RIFF").le32(size).ascii("WAVE");
        for (byte[] c : chunks) {
            b.bytes(c);
        }
        return b.build();
    }

    /** A chunk with an explicit declared size (which may lie) and a body. */
    static byte[] chunk(String id, long declared, byte[] body) {
        return of().ascii(id).le32(declared).bytes(body).build();
    }

    /** A good 16-bit mono 16 kHz WAV holding {@code samples} samples of {@link #ramp16}. */
    static byte[] goodWav(int samples) {
        byte[] data = ramp16(samples);
        return riff(fmt(1, 1, 16000, 2, 16).build(), chunk("data", data.length, data));
    }

    /** An IEEE 754 80-bit extended float, for AIFF sample rates. */
    static byte[] extended80(double v) {
        Bytes b = of();
        if (v == 0) {
            return b.zeros(10).build();
        }
        int exp = Math.getExponent(v);
        long mantissa = ((long) Math.scalb(v, 62 - exp)) << 1; // explicit leading 1 in bit 63
        return b.be16(exp + 16383).be32(mantissa >>> 32).be32(mantissa & 0xFFFFFFFFL).build();
    }

    /** An AIFF file: FORM header, COMM and SSND. */
    static byte[] aiff(int channels, long frames, int bits, double rate, byte[] samplesBigEndian) {
        byte[] comm = of().ascii("COMM").be32(18).be16(channels).be32(frames).be16(bits).bytes(extended80(rate)).build();
        byte[] ssnd = of().ascii("SSND").be32(8L + samplesBigEndian.length).be32(0).be32(0).bytes(samplesBigEndian)
                .build();
        return of().ascii("FORM").be32(4L + comm.length + ssnd.length).ascii("AIFF").bytes(comm).bytes(ssnd).build();
    }

    /** An AU file with a 24-byte header. */
    static byte[] au(long headerSize, long dataSize, long encoding, long rate, long channels, byte[] data) {
        return of().ascii(".snd").be32(headerSize).be32(dataSize).be32(encoding).be32(rate).be32(channels).bytes(data)
                .build();
    }
}
