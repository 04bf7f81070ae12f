package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.CorruptAudioException;

/**
 * Walks the codebooks of a Vorbis setup header (Vorbis I specification, section 3.2.1) before JOrbis unpacks it, and
 * refuses one whose declared sizes would make JOrbis allocate far more than the header could describe: a codebook's
 * entry count (up to 2^24) sizes JOrbis's tables, and an "ordered" length list codes millions of entries in a few
 * bits (a 4 KB fuzz input asked for 67 MB). Stateless.
 */
final class VorbisSetupCheck {
    /** Table memory allowed for all codebooks together: entries x (dimensions + 8) x 4 bytes. */
    static final long MAX_TABLE_BYTES = 32L << 20;

    private VorbisSetupCheck() {
    }

    /** Reads bits LSB first, as Vorbis packs them. */
    private static final class Bits {
        private final byte[] b;
        private final int length;
        private long bit;

        Bits(byte[] b, int length, int startByte) {
            this.b = b;
            this.length = length;
            this.bit = 8L * startByte;
        }

        long read(int n) {
            long v = 0;
            for (int i = 0; i < n; i++, bit++) {
                int at = (int) (bit >>> 3);
                if (at >= length) {
                    throw new CorruptAudioException("Ogg Vorbis stream: the setup header ends inside a codebook");
                }
                v |= (long) ((b[at] >> (bit & 7)) & 1) << i;
            }
            return v;
        }

        void skip(long n) {
            bit += n;
            if ((bit + 7) >>> 3 > length) {
                throw new CorruptAudioException("Ogg Vorbis stream: the setup header ends inside a codebook");
            }
        }
    }

    static void check(byte[] packet, int length) {
        if (length < 8 || packet[0] != 5) {
            return; // not a setup header: JOrbis refuses it
        }
        Bits in = new Bits(packet, length, 7);
        int books = (int) in.read(8) + 1;
        long table = 0;
        for (int k = 0; k < books; k++) {
            if (in.read(24) != 0x564342) {
                throw new CorruptAudioException("Ogg Vorbis stream: codebook " + k + " of the setup header lacks its"
                        + " sync pattern");
            }
            int dims = (int) in.read(16);
            long entries = in.read(24);
            table += entries * (dims + 8L) * 4;
            if (table > MAX_TABLE_BYTES) {
                throw new CorruptAudioException("Ogg Vorbis stream: the setup header's codebooks declare "
                        + "tables of more than " + (MAX_TABLE_BYTES >> 20) + " MB (codebook " + k + ": " + entries
                        + " entries of " + dims + " dimensions)");
            }
            if (in.read(1) == 0) { // not ordered
                boolean sparse = in.read(1) == 1;
                for (long e = 0; e < entries; e++) {
                    if (!sparse || in.read(1) == 1) {
                        in.read(5);
                    }
                }
            } else {
                in.read(5);
                long current = 0;
                while (current < entries) {
                    current += in.read(ilog(entries - current));
                    if (current > entries) {
                        throw new CorruptAudioException("Ogg Vorbis stream: codebook " + k
                                + "'s ordered lengths overrun its " + entries + " entries");
                    }
                }
            }
            int lookup = (int) in.read(4);
            if (lookup == 1 || lookup == 2) {
                in.read(32);
                in.read(32);
                int valueBits = (int) in.read(4) + 1;
                in.read(1);
                long values = lookup == 1 ? lookup1Values(entries, dims) : entries * dims;
                in.skip(values * valueBits);
            } else if (lookup != 0) {
                throw new CorruptAudioException("Ogg Vorbis stream: codebook " + k + " has lookup type " + lookup
                        + " (0, 1 and 2 exist)");
            }
        }
    }

    private static int ilog(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** The largest r with r^dims <= entries. */
    static long lookup1Values(long entries, int dims) {
        if (dims == 0) {
            return 0;
        }
        long r = (long) Math.floor(Math.pow(entries, 1.0 / dims));
        while (pow(r + 1, dims) <= entries) {
            r++;
        }
        while (r > 0 && pow(r, dims) > entries) {
            r--;
        }
        return r;
    }

    private static long pow(long base, int exp) {
        long v = 1;
        for (int i = 0; i < exp; i++) {
            v *= base;
            if (v > (1L << 40)) {
                return Long.MAX_VALUE;
            }
        }
        return v;
    }
}
