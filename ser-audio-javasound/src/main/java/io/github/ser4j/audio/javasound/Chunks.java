package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;

/**
 * What the header readers share, streaming and bounds-checked: every size read from the input is checked against
 * the bytes really there before it is used, nothing is allocated by a declared size, chunks of any kind may come
 * before or after the samples, odd-sized chunks are padded (or not, for writers that forget the pad byte), and a bad
 * field is a typed exception naming the input, the field and the value.
 *
 * <p>Stateless and thread-safe.
 */
final class Chunks {
    /** Largest format chunk accepted (a WAVE_FORMAT_EXTENSIBLE one is 40 bytes, AIFC's COMM about 30). */
    static final int MAX_FORMAT_CHUNK = 4096;

    private Chunks() {
    }

    /**
     * Reads the next 8-byte chunk header into {@code h}.
     *
     * @param family    "RIFF" or "IFF", for the message when no chunk is there
     * @param tailAllowed whether a few trailing bytes after the last chunk end the walk rather than fail it
     * @return false at the end of the chunks
     */
    static boolean readHeader(ByteInput in, byte[] h, String family, boolean tailAllowed) throws IOException {
        long at = in.position();
        int n = in.readUpTo(h, 0, 8);
        if (n == 0) {
            return false;
        }
        if (n < 8) {
            if (tailAllowed) {
                return false; // trailing bytes after the last chunk
            }
            throw in.truncated("chunk header", at, 8, n);
        }
        if (!ByteInput.plausibleId(h, 0)) {
            throw in.corrupt("no " + family + " chunk at offset " + at + " (found bytes '" + ByteInput.fourcc(h, 0)
                    + "'); the previous chunk's size is wrong or the file is damaged");
        }
        return true;
    }

    /**
     * Skips a chunk of samples met before the format chunk, so that the walk can find the format and come back.
     *
     * @param samples the samples chunk's id ({@code data}, {@code SSND})
     * @param format  the format chunk's id ({@code fmt }, {@code COMM})
     * @param bytes   the sample bytes the chunk declares (negative: unknown)
     * @param padSize the size whose parity decides the pad byte
     * @return the offset of the first sample byte
     * @throws UnsupportedAudioException if the input cannot be read twice (a stream)
     */
    static long skipSamplesBeforeFormat(ByteInput in, boolean seekable, String samples, String format, long bytes,
                                        long padSize) throws IOException {
        if (!seekable) {
            throw new UnsupportedAudioException(in.name() + ": the '" + samples + "' chunk comes before the '" + format
                    + "' chunk, which can be read from a file or a byte array but not from a stream");
        }
        if (bytes < 0) {
            throw in.corrupt("'" + samples + "' chunk of unknown size comes before the '" + format + "' chunk");
        }
        long offset = in.position();
        if (bytes > in.remaining()) {
            throw in.corrupt("no '" + format + "' chunk before the '" + samples + "' chunk, whose " + bytes
                    + " declared bytes run past the end of the file");
        }
        in.skipFully(bytes, "'" + samples + "' chunk");
        skipPad(in, padSize);
        return offset;
    }

    static void checkChannelsAndRate(ByteInput in, String container, long channels, long rate) {
        if (channels == 0) {
            throw in.corrupt(container + " header declares 0 channels");
        }
        if (channels > PcmFormat.MAX_CHANNELS) {
            throw new UnsupportedAudioException(in.name() + ": " + channels + " channels are not supported; "
                    + "supported: 1 to " + PcmFormat.MAX_CHANNELS);
        }
        if (rate == 0) {
            throw in.corrupt(container + " header declares a sample rate of 0 Hz");
        }
        if (rate > PcmFormat.MAX_SAMPLE_RATE) {
            throw new UnsupportedAudioException(in.name() + ": a sample rate of " + rate + " Hz is not supported; "
                    + "supported: 1 to " + PcmFormat.MAX_SAMPLE_RATE + " Hz");
        }
    }

    /** Fails unless a chunk of {@code size} bytes fits in what is left of the input and under {@code max}. */
    static void checkFits(ByteInput in, String what, long size, long max) {
        if (size > max) {
            throw in.corrupt(what + " declares " + size + " bytes, implausibly many (at most " + max + " expected)");
        }
        if (size > in.remaining()) {
            throw in.corrupt(what + " declares " + size + " bytes but only " + in.remaining() + " remain in the file");
        }
    }

    static void skipChunk(ByteInput in, String id, long at, long size) throws IOException {
        if (size > in.remaining()) {
            throw in.corrupt("chunk '" + id + "' at offset " + at + " declares " + size + " bytes but only "
                    + in.remaining() + " remain in the file, and no samples were found before it");
        }
        in.skipFully(size, "chunk '" + id + "' at offset " + at);
        skipPad(in, size);
    }

    /**
     * Skips the pad byte that follows an odd-sized chunk. Some writers forget it: when the byte there is not zero
     * but could start the next chunk's identifier, it is left in place.
     */
    static void skipPad(ByteInput in, long size) throws IOException {
        if ((size & 1) == 0) {
            return;
        }
        int b = in.read();
        if (b > 0 && b >= 0x20 && b < 0x7F) {
            in.unread(new byte[] {(byte) b}, 0, 1);
        }
    }

    static int u16le(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static int u16be(byte[] b, int o) {
        return (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
    }
}
