package io.github.ser4j.audio.javasound;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import io.github.ser4j.api.PcmEncoding;
import java.nio.ByteOrder;

/**
 * Converts stored samples to floats with sox's scaling: signed n-byte integers are divided by 2^(8n-1) (so -1.0 is
 * reachable and +1.0 is not), unsigned bytes are centred on 128 then divided by 128, G.711 codes are expanded through
 * the standard 16-bit tables then divided by 32768 (by {@link PcmEncoding}), and floats are delivered as stored (a
 * 64-bit float is rounded to the nearest 32-bit one). Samples narrower than their container (20 bits in 3 bytes) are
 * left-justified, as every format here stores them, so the container's scale is the right one.
 *
 * <p>Immutable and thread-safe.
 */
final class PcmCodec {
    enum Kind { U8, S8, S16, S24, S32, F32, F64, ULAW, ALAW }

    private static final VarHandle S16_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle S16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final Kind kind;
    private final boolean bigEndian;

    PcmCodec(Kind kind, boolean bigEndian) {
        this.kind = kind;
        this.bigEndian = bigEndian;
    }

    /** {@return a codec for integers of {@code bytes} bytes (1 to 4), signed or not} */
    static PcmCodec integer(int bytes, boolean signed, boolean bigEndian) {
        switch (bytes) {
            case 1:
                return new PcmCodec(signed ? Kind.S8 : Kind.U8, bigEndian);
            case 2:
                return new PcmCodec(Kind.S16, bigEndian);
            case 3:
                return new PcmCodec(Kind.S24, bigEndian);
            case 4:
                return new PcmCodec(Kind.S32, bigEndian);
            default:
                throw new IllegalArgumentException("integer samples of " + bytes + " bytes");
        }
    }

    Kind kind() {
        return kind;
    }

    /** {@return bytes per stored sample} */
    int bytesPerSample() {
        switch (kind) {
            case U8:
            case S8:
            case ULAW:
            case ALAW:
                return 1;
            case S16:
                return 2;
            case S24:
                return 3;
            case S32:
            case F32:
                return 4;
            default:
                return 8;
        }
    }

    /**
     * Decodes {@code count} samples.
     *
     * @param src    stored bytes
     * @param srcOff index of the first byte
     * @param dst    destination
     * @param dstOff index of the first sample written
     * @param count  number of samples
     */
    void decode(byte[] src, int srcOff, float[] dst, int dstOff, int count) {
        int s = srcOff;
        int end = dstOff + count;
        switch (kind) {
            case U8:
                for (int d = dstOff; d < end; d++) {
                    dst[d] = ((src[s++] & 0xFF) - 128) / 128f;
                }
                break;
            case S8:
                for (int d = dstOff; d < end; d++) {
                    dst[d] = src[s++] / 128f;
                }
                break;
            case ULAW:
                PcmEncoding.ULAW.decode(src, srcOff, dst, dstOff, count);
                break;
            case ALAW:
                PcmEncoding.ALAW.decode(src, srcOff, dst, dstOff, count);
                break;
            case S16:
                // one 16-bit load per sample, not two byte loads and a shift (the end-to-end profile's decode); the
                // handles must be static finals for C2 to compile them to plain loads. x / 2^15 == x * 2^-15 exactly.
                if (bigEndian) {
                    for (int d = dstOff; d < end; d++, s += 2) {
                        dst[d] = (short) S16_BE.get(src, s) * (1f / 32768f);
                    }
                } else {
                    for (int d = dstOff; d < end; d++, s += 2) {
                        dst[d] = (short) S16_LE.get(src, s) * (1f / 32768f);
                    }
                }
                break;
            case S24:
                if (bigEndian) {
                    for (int d = dstOff; d < end; d++, s += 3) {
                        dst[d] = ((src[s] << 16) | ((src[s + 1] & 0xFF) << 8) | (src[s + 2] & 0xFF)) / 8388608f;
                    }
                } else {
                    for (int d = dstOff; d < end; d++, s += 3) {
                        dst[d] = ((src[s + 2] << 16) | ((src[s + 1] & 0xFF) << 8) | (src[s] & 0xFF)) / 8388608f;
                    }
                }
                break;
            case S32:
                for (int d = dstOff; d < end; d++, s += 4) {
                    // divided in double: an int has more bits than a float's mantissa, round once, at the end
                    dst[d] = (float) (int32(src, s) / 2147483648.0);
                }
                break;
            case F32:
                for (int d = dstOff; d < end; d++, s += 4) {
                    dst[d] = Float.intBitsToFloat(int32(src, s));
                }
                break;
            case F64:
                for (int d = dstOff; d < end; d++, s += 8) {
                    long hi = int32(src, bigEndian ? s : s + 4) & 0xFFFFFFFFL;
                    long lo = int32(src, bigEndian ? s + 4 : s) & 0xFFFFFFFFL;
                    dst[d] = (float) Double.longBitsToDouble((hi << 32) | lo);
                }
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    private int int32(byte[] b, int s) {
        if (bigEndian) {
            return (b[s] << 24) | ((b[s + 1] & 0xFF) << 16) | ((b[s + 2] & 0xFF) << 8) | (b[s + 3] & 0xFF);
        }
        return (b[s + 3] << 24) | ((b[s + 2] & 0xFF) << 16) | ((b[s + 1] & 0xFF) << 8) | (b[s] & 0xFF);
    }

    @Override
    public String toString() {
        return kind + (bytesPerSample() > 1 && kind != Kind.ULAW && kind != Kind.ALAW ? (bigEndian ? " BE" : " LE") : "");
    }
}
