package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;

/**
 * Parses Sun/NeXT AU headers (mu-law, 8 to 32-bit PCM, float, A-law).
 *
 * <p>Stateless and thread-safe.
 */
final class AuHeaderReader {
    private AuHeaderReader() {
    }

    /** Parses an AU header whose first 12 bytes are {@code head}, leaving {@code in} at the first sample byte. */
    static Layout parse(ByteInput in, byte[] head) throws IOException {
        Layout l = new Layout();
        l.container = AudioContainer.AU;
        long headerSize = ByteInput.be32(head, 4);
        long dataSize = ByteInput.be32(head, 8);
        long encoding = in.u32be("AU header (encoding)");
        long rate = in.u32be("AU header (sample rate)");
        long channels = in.u32be("AU header (channels)");
        if (headerSize < 24) {
            throw in.corrupt("AU header size " + headerSize + " is smaller than the 24-byte header itself");
        }
        Chunks.checkChannelsAndRate(in, "AU", channels, rate);
        l.channels = (int) channels;
        l.sampleRate = (int) rate;
        switch ((int) Math.min(encoding, Integer.MAX_VALUE)) {
            case 1:
                l.samples(new PcmCodec(PcmCodec.Kind.ULAW, true), SampleEncoding.ULAW, 8);
                break;
            case 2:
            case 3:
            case 4:
            case 5:
                l.samples(PcmCodec.integer((int) encoding - 1, true, true),
                        SampleEncoding.PCM_SIGNED, 8 * ((int) encoding - 1));
                break;
            case 6:
                l.samples(new PcmCodec(PcmCodec.Kind.F32, true), SampleEncoding.PCM_FLOAT, 32);
                break;
            case 7:
                l.samples(new PcmCodec(PcmCodec.Kind.F64, true), SampleEncoding.PCM_FLOAT, 64);
                break;
            case 27:
                l.samples(new PcmCodec(PcmCodec.Kind.ALAW, true), SampleEncoding.ALAW, 8);
                break;
            default:
                throw new UnsupportedAudioException(in.name() + ": AU encoding " + encoding + " is not supported; "
                        + "supported: 1 (mu-law), 2-5 (8 to 32-bit PCM), 6-7 (float), 27 (A-law)");
        }
        if (headerSize - 24 > in.remaining()) {
            throw in.corrupt("AU header size " + headerSize + " runs past the end of the file");
        }
        in.skipFully(headerSize - 24, "AU header annotation");
        l.dataOffset = in.position();
        l.declaredBytes = dataSize == 0xFFFFFFFFL ? -1 : dataSize; // ~0 is the format's "unknown size"
        return l;
    }
}
