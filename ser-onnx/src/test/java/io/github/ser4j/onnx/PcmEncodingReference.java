package io.github.ser4j.onnx;

/** G.711 by the book (ITU-T G.711 / Sun reference), written here independently of the code under test. */
final class PcmEncodingReference {
    private PcmEncodingReference() {
    }

    static byte linearToUlaw(int pcm) {
        int sign = pcm < 0 ? 0x80 : 0;
        int m = Math.min(Math.abs(pcm), 32635) + 0x84;
        int exp = 7;
        for (int mask = 0x4000; (m & mask) == 0 && exp > 0; mask >>= 1) {
            exp--;
        }
        int mantissa = (m >> (exp + 3)) & 0x0F;
        return (byte) ~(sign | (exp << 4) | mantissa);
    }

    static int ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int exp = (u >> 4) & 7;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + 0x84) << exp) - 0x84;
        return (u & 0x80) != 0 ? -magnitude : magnitude;
    }
}
