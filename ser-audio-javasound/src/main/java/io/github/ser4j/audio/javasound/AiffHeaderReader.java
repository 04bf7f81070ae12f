package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;

/**
 * Parses AIFF and AIFC headers (uncompressed, {@code sowt}, {@code in24}/{@code in32}, float, A-law and mu-law), the
 * rules of {@link Chunks} applied: the {@code 'COMM'} frame count is the truth, and {@code 'SSND'} may come before
 * {@code 'COMM'} in a seekable input.
 *
 * <p>Stateless and thread-safe.
 */
final class AiffHeaderReader {
    private AiffHeaderReader() {
    }

    /** Parses an AIFF or AIFC header after its first 12 bytes, leaving {@code in} at the first sample byte. */
    static Layout parse(ByteInput in, boolean aifc, boolean seekable) throws IOException {
        Layout l = new Layout();
        l.container = aifc ? AudioContainer.AIFC : AudioContainer.AIFF;
        boolean haveComm = false;
        long frames = -1;
        long pendingOffset = -1;
        long pendingBytes = -1;
        byte[] h = new byte[8];
        while (true) {
            long at = in.position();
            if (!Chunks.readHeader(in, h, "IFF", pendingOffset >= 0)) {
                break;
            }
            String id = new String(h, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = ByteInput.be32(h, 4);
            switch (id) {
                case "COMM": {
                    int min = aifc ? 22 : 18;
                    if (size < min) {
                        throw in.corrupt("'COMM' chunk of " + size + " bytes is shorter than the " + min + " an "
                                + l.container + " file needs");
                    }
                    Chunks.checkFits(in, "'COMM' chunk at offset " + at, size, Chunks.MAX_FORMAT_CHUNK);
                    byte[] c = new byte[(int) size];
                    in.readFully(c, 0, c.length, "'COMM' chunk");
                    Chunks.skipPad(in, size);
                    frames = ByteInput.be32(c, 2);
                    parseComm(in, c, aifc, l);
                    haveComm = true;
                    if (pendingOffset >= 0) {
                        l.dataOffset = pendingOffset;
                        l.declaredBytes = frames * l.frameBytes();
                        l.dataBeforeFormat = true;
                        return limitToSsnd(in, l, pendingBytes);
                    }
                    break;
                }
                case "SSND": {
                    if (size < 8) {
                        throw in.corrupt("'SSND' chunk of " + size + " bytes is shorter than its 8-byte header");
                    }
                    long offset = in.u32be("'SSND' offset");
                    in.u32be("'SSND' block size");
                    long bytes = size - 8 - offset;
                    if (bytes < 0) {
                        throw in.corrupt("'SSND' chunk of " + size + " bytes declares a data offset of " + offset);
                    }
                    if (offset > in.remaining()) {
                        throw in.corrupt("'SSND' data offset " + offset + " runs past the end of the file");
                    }
                    in.skipFully(offset, "'SSND' data offset");
                    if (haveComm) {
                        l.dataOffset = in.position();
                        l.declaredBytes = frames * l.frameBytes();
                        return limitToSsnd(in, l, bytes);
                    }
                    pendingOffset = Chunks.skipSamplesBeforeFormat(in, seekable, "SSND", "COMM", bytes, size);
                    pendingBytes = bytes;
                    break;
                }
                default:
                    Chunks.skipChunk(in, id, at, size);
            }
        }
        if (!haveComm) {
            throw in.corrupt("no 'COMM' chunk: not a usable " + l.container + " file");
        }
        if (frames == 0) {
            // no SSND chunk is allowed when there are no frames
            l.dataOffset = in.position();
            l.declaredBytes = 0;
            return l;
        }
        throw in.corrupt("no 'SSND' chunk, though 'COMM' declares " + frames + " frames");
    }

    /** The COMM frame count is the truth; an SSND chunk smaller than it means a damaged or truncated file. */
    private static Layout limitToSsnd(ByteInput in, Layout l, long ssndBytes) {
        if (ssndBytes < l.declaredBytes) {
            // the SSND chunk itself says the frames are not all there: treat like a truncated file
            l.regionBytes = ssndBytes;
        }
        return l;
    }

    private static void parseComm(ByteInput in, byte[] c, boolean aifc, Layout l) {
        int channels = Chunks.u16be(c, 0);
        int sampleSize = (short) Chunks.u16be(c, 6);
        double rate = extended80(c, 8);
        if (Double.isNaN(rate) || Double.isInfinite(rate) || rate < 0.5) {
            throw in.corrupt("'COMM' chunk declares a sample rate of " + rate + " Hz");
        }
        if (channels > 0x7FFF) {
            throw in.corrupt("'COMM' chunk declares " + (short) channels + " channels");
        }
        Chunks.checkChannelsAndRate(in, "AIFF", channels, Math.round(rate));
        l.channels = channels;
        l.sampleRate = (int) Math.round(rate);
        String compression = aifc ? new String(c, 18, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "NONE";
        switch (compression) {
            case "NONE":
            case "twos":
            case "sowt": {
                if (sampleSize < 1 || sampleSize > 32) {
                    if (sampleSize <= 0) {
                        throw in.corrupt("'COMM' chunk declares a sample size of " + sampleSize + " bits");
                    }
                    throw new UnsupportedAudioException(in.name() + ": " + l.container + " with " + sampleSize
                            + "-bit samples is not supported; supported: 1 to 32");
                }
                int bytes = (sampleSize + 7) / 8;
                l.samples(PcmCodec.integer(bytes, true, !compression.equals("sowt")),
                        SampleEncoding.PCM_SIGNED, sampleSize);
                break;
            }
            case "raw ":
                l.samples(PcmCodec.integer(1, false, true), SampleEncoding.PCM_UNSIGNED, 8);
                break;
            case "in24":
                l.samples(new PcmCodec(PcmCodec.Kind.S24, true), SampleEncoding.PCM_SIGNED, 24);
                break;
            case "in32":
                l.samples(new PcmCodec(PcmCodec.Kind.S32, true), SampleEncoding.PCM_SIGNED, 32);
                break;
            case "fl32":
            case "FL32":
                l.samples(new PcmCodec(PcmCodec.Kind.F32, true), SampleEncoding.PCM_FLOAT, 32);
                break;
            case "fl64":
            case "FL64":
                l.samples(new PcmCodec(PcmCodec.Kind.F64, true), SampleEncoding.PCM_FLOAT, 64);
                break;
            case "ulaw":
            case "ULAW":
                l.samples(new PcmCodec(PcmCodec.Kind.ULAW, true), SampleEncoding.ULAW, 8);
                break;
            case "alaw":
            case "ALAW":
                l.samples(new PcmCodec(PcmCodec.Kind.ALAW, true), SampleEncoding.ALAW, 8);
                break;
            default:
                throw new UnsupportedAudioException(in.name() + ": AIFC compression '" + ByteInput.fourcc(c, 18)
                        + "' is not supported; supported: NONE, twos, sowt, raw, in24, in32, fl32, fl64, ulaw, alaw");
        }
    }

    /** Decodes an IEEE 754 80-bit extended float (the AIFF sample rate); NaN for infinities and NaNs. */
    private static double extended80(byte[] b, int o) {
        int se = (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
        int exponent = se & 0x7FFF;
        long mantissa = 0;
        for (int i = 0; i < 8; i++) {
            mantissa = mantissa << 8 | (b[o + 2 + i] & 0xFF);
        }
        if (exponent == 0x7FFF) {
            return Double.NaN;
        }
        if (mantissa == 0) {
            return 0;
        }
        double v = Math.scalb((double) (mantissa >>> 11), exponent - 16383 - 52);
        return (se & 0x8000) != 0 ? -v : v;
    }
}
