package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Parses WAV headers (RIFF, RF64, BW64; PCM, IEEE float, A-law and mu-law, plain or WAVE_FORMAT_EXTENSIBLE), the
 * rules of {@link Chunks} applied: the {@code 'data'} chunk may come before {@code 'fmt '} in a seekable input, and a
 * size left at 0 or {@code 0xFFFFFFFF} by a streaming writer means "to the end of the file".
 *
 * <p>Stateless and thread-safe.
 */
final class WaveHeaderReader {
    /** The last 14 bytes of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT / _ALAW / _MULAW. */
    private static final byte[] KSDATAFORMAT_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
    private static final Map<Integer, String> WAV_TAG_NAMES = Map.of(0x0002, "Microsoft ADPCM", 0x0011, "IMA ADPCM",
            0x0031, "GSM 6.10", 0x0050, "MPEG", 0x0055, "MPEG layer 3", 0x0092, "Dolby AC-3 SPDIF", 0x00FF, "AAC",
            0x1610, "HE-AAC", 0xF1AC, "FLAC", 0x0000, "unknown");

    private WaveHeaderReader() {
    }

    /**
     * Parses a WAV header after its first 12 bytes, leaving {@code in} at the first sample byte (unless the samples
     * come first: see {@link Layout#dataBeforeFormat}).
     */
    static Layout parse(ByteInput in, boolean rf64, boolean seekable) throws IOException {
        Layout l = new Layout();
        l.container = AudioContainer.WAV;
        boolean haveFmt = false;
        long ds64Data = -1;
        long pendingOffset = -1;
        long pendingDeclared = -1;
        byte[] h = new byte[8];
        while (true) {
            long at = in.position();
            if (!Chunks.readHeader(in, h, "RIFF", pendingOffset >= 0 || haveFmt)) {
                break;
            }
            String id = new String(h, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = ByteInput.le32(h, 4);
            switch (id) {
                case "fmt ": {
                    if (size < 16) {
                        throw in.corrupt("'fmt ' chunk of " + size + " bytes is shorter than the 16 any WAVE format needs");
                    }
                    Chunks.checkFits(in, "'fmt ' chunk at offset " + at, size, Chunks.MAX_FORMAT_CHUNK);
                    byte[] f = new byte[(int) size];
                    in.readFully(f, 0, f.length, "'fmt ' chunk");
                    Chunks.skipPad(in, size);
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
                        Chunks.skipChunk(in, id, at, size);
                        break;
                    }
                    if (size < 28) {
                        throw in.corrupt("'ds64' chunk of " + size + " bytes is shorter than 28");
                    }
                    Chunks.checkFits(in, "'ds64' chunk at offset " + at, size, 1 << 20);
                    byte[] d = new byte[28];
                    in.readFully(d, 0, 28, "'ds64' chunk");
                    ds64Data = ByteInput.le64(d, 8);
                    if (ds64Data < 0) {
                        throw in.corrupt("'ds64' chunk declares a data size of " + Long.toUnsignedString(ds64Data));
                    }
                    in.skipFully(size - 28, "'ds64' chunk");
                    Chunks.skipPad(in, size);
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
                    pendingOffset = Chunks.skipSamplesBeforeFormat(in, seekable, "data", "fmt ", declared, declared);
                    pendingDeclared = declared;
                    break;
                }
                default:
                    Chunks.skipChunk(in, id, at, size);
            }
        }
        if (!haveFmt) {
            throw in.corrupt("no 'fmt ' chunk: not a usable WAVE file");
        }
        throw in.corrupt("no 'data' chunk: the file holds no samples");
    }

    private static void parseFmt(ByteInput in, byte[] f, Layout l) {
        int tag = Chunks.u16le(f, 0);
        int channels = Chunks.u16le(f, 2);
        long rate = ByteInput.le32(f, 4);
        int blockAlign = Chunks.u16le(f, 12);
        int bits = Chunks.u16le(f, 14);
        int validBits = bits;
        int format = tag;
        if (tag == 0xFFFE) {
            if (f.length < 40) {
                throw in.corrupt("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of " + f.length + " bytes is shorter than 40");
            }
            int declaredValid = Chunks.u16le(f, 18);
            validBits = declaredValid == 0 ? bits : declaredValid;
            format = Chunks.u16le(f, 24);
            for (int i = 0; i < KSDATAFORMAT_TAIL.length; i++) {
                if (f[26 + i] != KSDATAFORMAT_TAIL[i]) {
                    throw new UnsupportedAudioException(in.name() + ": WAVE_FORMAT_EXTENSIBLE sub-format "
                            + guid(f, 24) + " is not supported; supported sub-formats: PCM, IEEE float, A-law, mu-law");
                }
            }
        }
        Chunks.checkChannelsAndRate(in, "WAV", channels, rate);
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

    private static String guid(byte[] b, int o) {
        return String.format(Locale.ROOT, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                ByteInput.le32(b, o), Chunks.u16le(b, o + 4), Chunks.u16le(b, o + 6), b[o + 8], b[o + 9], b[o + 10],
                b[o + 11], b[o + 12], b[o + 13], b[o + 14], b[o + 15]);
    }
}
