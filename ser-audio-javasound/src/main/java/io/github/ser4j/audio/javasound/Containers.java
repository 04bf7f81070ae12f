package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises containers from their first bytes and parses the headers of WAV (RIFF, RF64, BW64), AIFF, AIFC and AU,
 * streaming and bounds-checked: every size read from the input is checked against the bytes really there before it
 * is used, nothing is allocated by a declared size, chunks of any kind may come before or after the samples, odd-sized
 * chunks are padded (or not, for writers that forget the pad byte), and a bad field is a typed exception naming the
 * input, the field and the value.
 *
 * <p>Stateless and thread-safe.
 */
final class Containers {
    /** Bytes needed to recognise every container. */
    static final int SNIFF_BYTES = 12;
    /** Largest format chunk accepted (a WAVE_FORMAT_EXTENSIBLE one is 40 bytes, AIFC's COMM about 30). */
    private static final int MAX_FORMAT_CHUNK = 4096;
    /** The last 14 bytes of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT / _ALAW / _MULAW. */
    private static final byte[] KSDATAFORMAT_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
    private static final Map<Integer, String> WAV_TAG_NAMES = Map.of(0x0002, "Microsoft ADPCM", 0x0011, "IMA ADPCM",
            0x0031, "GSM 6.10", 0x0050, "MPEG", 0x0055, "MPEG layer 3", 0x0092, "Dolby AC-3 SPDIF", 0x00FF, "AAC",
            0x1610, "HE-AAC", 0xF1AC, "FLAC", 0x0000, "unknown");

    enum Kind { WAV, RF64, AIFF, AIFC, AU, FLAC, TRUNCATED, UNKNOWN }

    private Containers() {
    }

    /** @return the container the first {@code n} bytes announce */
    static Kind sniff(byte[] b, int n) {
        String[] magics = {"RIFF", "RF64", "BW64", "FORM", ".snd", "fLaC"};
        if (n >= 4) {
            String m = new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (m.equals(".snd")) {
                return n >= SNIFF_BYTES ? Kind.AU : Kind.TRUNCATED;
            }
            if (m.equals("fLaC")) {
                return n >= SNIFF_BYTES ? Kind.FLAC : Kind.TRUNCATED;
            }
            boolean riff = m.equals("RIFF") || m.equals("RF64") || m.equals("BW64");
            if (riff || m.equals("FORM")) {
                if (n < SNIFF_BYTES) {
                    return Kind.TRUNCATED;
                }
                String form = new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (riff && form.equals("WAVE")) {
                    return m.equals("RIFF") ? Kind.WAV : Kind.RF64;
                }
                if (!riff && form.equals("AIFF")) {
                    return Kind.AIFF;
                }
                if (!riff && form.equals("AIFC")) {
                    return Kind.AIFC;
                }
            }
            return Kind.UNKNOWN;
        }
        for (String magic : magics) {
            if (n > 0 && magic.startsWith(new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                return Kind.TRUNCATED;
            }
        }
        return Kind.UNKNOWN;
    }

    // ------------------------------------------------------------------------------------------------- WAV (RIFF)

    /**
     * Parses a WAV header after its first 12 bytes, leaving {@code in} at the first sample byte (unless the samples
     * come first: see {@link Layout#dataBeforeFormat}).
     */
    static Layout parseWav(ByteInput in, boolean rf64, boolean seekable) throws IOException {
        Layout l = new Layout();
        l.container = AudioContainer.WAV;
        boolean haveFmt = false;
        long ds64Data = -1;
        long pendingOffset = -1;
        long pendingDeclared = -1;
        byte[] h = new byte[8];
        while (true) {
            long at = in.position();
            int n = in.readUpTo(h, 0, 8);
            if (n == 0) {
                break;
            }
            if (n < 8) {
                if (pendingOffset >= 0 || haveFmt) {
                    break; // trailing bytes after the last chunk
                }
                throw in.truncated("chunk header", at, 8, n);
            }
            if (!ByteInput.plausibleId(h, 0)) {
                throw in.corrupt("no RIFF chunk at offset " + at + " (found bytes '" + ByteInput.fourcc(h, 0)
                        + "'); the previous chunk's size is wrong or the file is damaged");
            }
            String id = new String(h, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = ByteInput.le32(h, 4);
            switch (id) {
                case "fmt ": {
                    if (size < 16) {
                        throw in.corrupt("'fmt ' chunk of " + size + " bytes is shorter than the 16 any WAVE format needs");
                    }
                    checkFits(in, "'fmt ' chunk at offset " + at, size, MAX_FORMAT_CHUNK);
                    byte[] f = new byte[(int) size];
                    in.readFully(f, 0, f.length, "'fmt ' chunk");
                    skipPad(in, size);
                    parseFmt(in, f, l);
                    haveFmt = true;
                    if (pendingOffset >= 0) {
                        l.dataOffset = pendingOffset;
                        l.declaredBytes = pendingDeclared;
                        l.dataBeforeFormat = true;
                        return l;
                    }
                    break;
                }
                case "ds64": {
                    if (!rf64) {
                        skipChunk(in, id, at, size);
                        break;
                    }
                    if (size < 28) {
                        throw in.corrupt("'ds64' chunk of " + size + " bytes is shorter than 28");
                    }
                    checkFits(in, "'ds64' chunk at offset " + at, size, 1 << 20);
                    byte[] d = new byte[28];
                    in.readFully(d, 0, 28, "'ds64' chunk");
                    ds64Data = ByteInput.le64(d, 8);
                    if (ds64Data < 0) {
                        throw in.corrupt("'ds64' chunk declares a data size of " + Long.toUnsignedString(ds64Data));
                    }
                    in.skipFully(size - 28, "'ds64' chunk");
                    skipPad(in, size);
                    break;
                }
                case "data": {
                    long declared = size;
                    if (rf64 && size == 0xFFFFFFFFL) {
                        if (ds64Data < 0) {
                            throw in.corrupt("RF64 'data' chunk defers its size to a 'ds64' chunk that is missing");
                        }
                        declared = ds64Data;
                    } else if (size == 0xFFFFFFFFL) {
                        // a streaming writer's placeholder: the samples run to the end of the file
                        declared = -1;
                        l.placeholderSize = true;
                    } else if (size == 0 && placeholderZero(in)) {
                        // a recorder that never came back to fill in the size: more bytes follow, and no chunk
                        declared = -1;
                        l.placeholderSize = true;
                    }
                    if (haveFmt) {
                        l.dataOffset = in.position();
                        l.declaredBytes = declared;
                        return l;
                    }
                    if (!seekable) {
                        throw new UnsupportedAudioException(in.name() + ": the 'data' chunk comes before the 'fmt ' "
                                + "chunk, which can be read from a file or a byte array but not from a stream");
                    }
                    if (declared < 0) {
                        throw in.corrupt("'data' chunk of unknown size comes before the 'fmt ' chunk");
                    }
                    pendingOffset = in.position();
                    pendingDeclared = declared;
                    if (declared > in.remaining()) {
                        throw in.corrupt("no 'fmt ' chunk before the 'data' chunk, whose " + declared
                                + " declared bytes run past the end of the file");
                    }
                    in.skipFully(declared, "'data' chunk");
                    skipPad(in, declared);
                    break;
                }
                default:
                    skipChunk(in, id, at, size);
            }
        }
        if (!haveFmt) {
            throw in.corrupt("no 'fmt ' chunk: not a usable WAVE file");
        }
        throw in.corrupt("no 'data' chunk: the file holds no samples");
    }

    private static void parseFmt(ByteInput in, byte[] f, Layout l) {
        int tag = u16le(f, 0);
        int channels = u16le(f, 2);
        long rate = ByteInput.le32(f, 4);
        int blockAlign = u16le(f, 12);
        int bits = u16le(f, 14);
        int validBits = bits;
        int format = tag;
        if (tag == 0xFFFE) {
            if (f.length < 40) {
                throw in.corrupt("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of " + f.length + " bytes is shorter than 40");
            }
            int declaredValid = u16le(f, 18);
            validBits = declaredValid == 0 ? bits : declaredValid;
            format = u16le(f, 24);
            for (int i = 0; i < KSDATAFORMAT_TAIL.length; i++) {
                if (f[26 + i] != KSDATAFORMAT_TAIL[i]) {
                    throw new UnsupportedAudioException(in.name() + ": WAVE_FORMAT_EXTENSIBLE sub-format "
                            + guid(f, 24) + " is not supported; supported sub-formats: PCM, IEEE float, A-law, mu-law");
                }
            }
        }
        checkChannelsAndRate(in, "WAV", channels, rate);
        l.channels = channels;
        l.sampleRate = (int) rate;
        switch (format) {
            case 0x0001: {
                if (bits == 0) {
                    throw in.corrupt("WAV 'fmt ' chunk declares PCM with 0 bits per sample");
                }
                if (bits > 32) {
                    throw new UnsupportedAudioException(in.name() + ": WAV PCM with " + bits
                            + " bits per sample is not supported; supported: 1 to 32");
                }
                int bytes = (bits + 7) / 8;
                if (blockAlign != 0 && blockAlign != channels * bytes && blockAlign % channels == 0
                        && blockAlign / channels > bytes && blockAlign / channels <= 4) {
                    bytes = blockAlign / channels; // e.g. 20 significant bits in 4-byte containers
                }
                if (validBits > bytes * 8) {
                    throw in.corrupt("WAV 'fmt ' chunk declares " + validBits + " valid bits in " + bytes
                            + "-byte samples");
                }
                l.samples(PcmCodec.integer(bytes, bytes > 1, false),
                        bytes == 1 ? SampleEncoding.PCM_UNSIGNED : SampleEncoding.PCM_SIGNED, validBits);
                break;
            }
            case 0x0003:
                if (bits != 32 && bits != 64) {
                    throw new UnsupportedAudioException(in.name() + ": WAV IEEE float with " + bits
                            + " bits per sample is not supported; supported: 32 and 64");
                }
                l.samples(new PcmCodec(bits == 32 ? PcmCodec.Kind.F32 : PcmCodec.Kind.F64, false),
                        SampleEncoding.PCM_FLOAT, bits);
                break;
            case 0x0006:
            case 0x0007:
                if (bits != 8) {
                    throw new UnsupportedAudioException(in.name() + ": WAV " + (format == 6 ? "A-law" : "mu-law")
                            + " with " + bits + " bits per sample is not supported; G.711 has 8");
                }
                l.samples(new PcmCodec(format == 6 ? PcmCodec.Kind.ALAW : PcmCodec.Kind.ULAW, false),
                        format == 6 ? SampleEncoding.ALAW : SampleEncoding.ULAW, 8);
                break;
            default:
                throw new UnsupportedAudioException(String.format(Locale.ROOT, "%s: WAV format tag 0x%04X (%s) is not "
                                + "supported; supported: PCM, IEEE float, A-law and mu-law, plain or "
                                + "WAVE_FORMAT_EXTENSIBLE", in.name(), format,
                        WAV_TAG_NAMES.getOrDefault(format, "compressed")));
        }
        if (blockAlign != 0 && blockAlign != l.frameBytes()) {
            throw in.corrupt("WAV 'fmt ' chunk declares blockAlign " + blockAlign + " but " + channels + " channels of "
                    + l.codec.bytesPerSample() + "-byte samples take " + l.frameBytes());
        }
    }

    /**
     * A zero-sized data chunk followed by bytes that do not start another chunk is a size never filled in. Peeks at
     * the next 8 bytes and puts them back.
     */
    private static boolean placeholderZero(ByteInput in) throws IOException {
        byte[] next = new byte[8];
        int n = in.readUpTo(next, 0, 8);
        if (n > 0) {
            in.unread(next, 0, n);
        }
        if (n == 0) {
            return false; // a genuinely empty data chunk at the end of the file
        }
        return n < 8 || !ByteInput.plausibleId(next, 0) || ByteInput.le32(next, 4) > in.remaining() - 8;
    }

    // -------------------------------------------------------------------------------------------------- AIFF / AIFC

    /** Parses an AIFF or AIFC header after its first 12 bytes, leaving {@code in} at the first sample byte. */
    static Layout parseAiff(ByteInput in, boolean aifc, boolean seekable) throws IOException {
        Layout l = new Layout();
        l.container = aifc ? AudioContainer.AIFC : AudioContainer.AIFF;
        boolean haveComm = false;
        long frames = -1;
        long pendingOffset = -1;
        long pendingBytes = -1;
        byte[] h = new byte[8];
        while (true) {
            long at = in.position();
            int n = in.readUpTo(h, 0, 8);
            if (n == 0) {
                break;
            }
            if (n < 8) {
                if (pendingOffset >= 0) {
                    break;
                }
                throw in.truncated("chunk header", at, 8, n);
            }
            if (!ByteInput.plausibleId(h, 0)) {
                throw in.corrupt("no IFF chunk at offset " + at + " (found bytes '" + ByteInput.fourcc(h, 0)
                        + "'); the previous chunk's size is wrong or the file is damaged");
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
                    checkFits(in, "'COMM' chunk at offset " + at, size, MAX_FORMAT_CHUNK);
                    byte[] c = new byte[(int) size];
                    in.readFully(c, 0, c.length, "'COMM' chunk");
                    skipPad(in, size);
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
                    if (!seekable) {
                        throw new UnsupportedAudioException(in.name() + ": the 'SSND' chunk comes before the 'COMM' "
                                + "chunk, which can be read from a file or a byte array but not from a stream");
                    }
                    pendingOffset = in.position();
                    pendingBytes = bytes;
                    if (bytes > in.remaining()) {
                        throw in.corrupt("no 'COMM' chunk before the 'SSND' chunk, whose " + bytes
                                + " declared bytes run past the end of the file");
                    }
                    in.skipFully(bytes, "'SSND' chunk");
                    skipPad(in, size);
                    break;
                }
                default:
                    skipChunk(in, id, at, size);
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
        int channels = u16be(c, 0);
        int sampleSize = (short) u16be(c, 6);
        double rate = extended80(c, 8);
        if (Double.isNaN(rate) || Double.isInfinite(rate) || rate < 0.5) {
            throw in.corrupt("'COMM' chunk declares a sample rate of " + rate + " Hz");
        }
        if (channels > 0x7FFF) {
            throw in.corrupt("'COMM' chunk declares " + (short) channels + " channels");
        }
        checkChannelsAndRate(in, "AIFF", channels, Math.round(rate));
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
    static double extended80(byte[] b, int o) {
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

    // ----------------------------------------------------------------------------------------------------------- AU

    /** Parses an AU header whose first 12 bytes are {@code head}, leaving {@code in} at the first sample byte. */
    static Layout parseAu(ByteInput in, byte[] head) throws IOException {
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
        checkChannelsAndRate(in, "AU", channels, rate);
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

    // ------------------------------------------------------------------------------------------------------- shared

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
    private static void checkFits(ByteInput in, String what, long size, long max) {
        if (size > max) {
            throw in.corrupt(what + " declares " + size + " bytes, implausibly many (at most " + max + " expected)");
        }
        if (size > in.remaining()) {
            throw in.corrupt(what + " declares " + size + " bytes but only " + in.remaining() + " remain in the file");
        }
    }

    private static void skipChunk(ByteInput in, String id, long at, long size) throws IOException {
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
    private static void skipPad(ByteInput in, long size) throws IOException {
        if ((size & 1) == 0) {
            return;
        }
        int b = in.read();
        if (b > 0 && b >= 0x20 && b < 0x7F) {
            in.unread(new byte[] {(byte) b}, 0, 1);
        }
    }

    private static int u16le(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    private static int u16be(byte[] b, int o) {
        return (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
    }

    private static String guid(byte[] b, int o) {
        return String.format(Locale.ROOT, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                ByteInput.le32(b, o), u16le(b, o + 4), u16le(b, o + 6), b[o + 8], b[o + 9], b[o + 10], b[o + 11],
                b[o + 12], b[o + 13], b[o + 14], b[o + 15]);
    }
}
