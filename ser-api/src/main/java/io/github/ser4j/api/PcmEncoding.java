package io.github.ser4j.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * How raw PCM bytes store samples, and the conversion of those bytes to floats in [-1, 1] (sox's scaling, the same
 * the file readers use): 16-bit integers are divided by 32768, G.711 codes are expanded through the ITU-T tables to
 * 16-bit values then divided by 32768, and floats are delivered as stored.
 *
 * <p>Used by {@link RecognitionSession#accept(byte[], int, int)}, and public so that applications can convert
 * buffers themselves with {@link #decode(byte[], int, float[], int, int)}.
 *
 * <p>Immutable and thread-safe.
 */
public enum PcmEncoding {
    /** Signed 16-bit integers, little-endian (WAV's, Android's and most sound cards' PCM). */
    S16LE(2),
    /** ITU-T G.711 mu-law, 8 bits per sample (North American and Japanese telephony). */
    ULAW(1),
    /** ITU-T G.711 A-law, 8 bits per sample (European telephony). */
    ALAW(1),
    /** IEEE 754 32-bit floats, little-endian. */
    F32LE(4);

    private static final VarHandle S16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final float[] ULAW_TABLE = new float[256];
    private static final float[] ALAW_TABLE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TABLE[i] = ulawToLinear(i) / 32768f;
            ALAW_TABLE[i] = alawToLinear(i) / 32768f;
        }
    }

    private final int bytesPerSample;

    PcmEncoding(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    /** {@return bytes per sample (per channel): 2, 1, 1 or 4} */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /**
     * Converts {@code samples} samples; allocates nothing.
     *
     * @param src       the stored bytes
     * @param srcOffset index of the first byte
     * @param dst       destination
     * @param dstOffset index of the first sample written
     * @param samples   number of samples (not bytes, not frames)
     * @throws IndexOutOfBoundsException if either range does not fit its array
     */
    public void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int samples) {
        Objects.checkFromIndexSize(srcOffset, (long) samples * bytesPerSample > Integer.MAX_VALUE ? -1
                : samples * bytesPerSample, src.length);
        Objects.checkFromIndexSize(dstOffset, samples, dst.length);
        int s = srcOffset;
        int end = dstOffset + samples;
        switch (this) {
            case S16LE:
                for (int d = dstOffset; d < end; d++, s += 2) {
                    dst[d] = (short) S16.get(src, s) * (1f / 32768f);
                }
                break;
            case ULAW:
                for (int d = dstOffset; d < end; d++) {
                    dst[d] = ULAW_TABLE[src[s++] & 0xFF];
                }
                break;
            case ALAW:
                for (int d = dstOffset; d < end; d++) {
                    dst[d] = ALAW_TABLE[src[s++] & 0xFF];
                }
                break;
            case F32LE:
                for (int d = dstOffset; d < end; d++, s += 4) {
                    dst[d] = (float) F32.get(src, s);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }

    /** ITU-T G.711 mu-law expansion to 16-bit linear (the Sun reference algorithm). */
    private static int ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /** ITU-T G.711 A-law expansion to 16-bit linear (the Sun reference algorithm). */
    private static int alawToLinear(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t += 0x108;
            if (seg > 1) {
                t <<= seg - 1;
            }
        }
        return (a & 0x80) != 0 ? t : -t;
    }
}
