package io.github.ser4j.audio.javasound;

import java.io.IOException;

/**
 * Recognises containers from their first bytes and hands a WAV (RIFF, RF64, BW64), AIFF, AIFC or AU header to its
 * reader: {@link WaveHeaderReader}, {@link AiffHeaderReader}, {@link AuHeaderReader}.
 *
 * <p>Stateless and thread-safe.
 */
final class Containers {
    /** Bytes needed to recognise every container. */
    static final int SNIFF_BYTES = 12;

    enum Kind { WAV, RF64, AIFF, AIFC, AU, FLAC, TRUNCATED, UNKNOWN }

    private Containers() {
    }

    /** {@return the container the first {@code n} bytes announce} */
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

    /** {@return whether {@code kind} is a container whose header {@link #parsePcm} reads} */
    static boolean isPcm(Kind kind) {
        return kind == Kind.WAV || kind == Kind.RF64 || kind == Kind.AIFF || kind == Kind.AIFC || kind == Kind.AU;
    }

    /**
     * Parses the header of an input sniffed as {@code kind} after its first 12 bytes {@code head}, leaving {@code in}
     * at the first sample byte (unless the samples come first: see {@link Layout#dataBeforeFormat}).
     *
     * @param seekable whether the input can be read again, so samples may come before the format
     * @throws IllegalArgumentException unless {@link #isPcm(Kind)}
     */
    static Layout parsePcm(Kind kind, ByteInput in, byte[] head, boolean seekable) throws IOException {
        switch (kind) {
            case WAV:
            case RF64:
                return WaveHeaderReader.parse(in, kind == Kind.RF64, seekable);
            case AIFF:
            case AIFC:
                return AiffHeaderReader.parse(in, kind == Kind.AIFC, seekable);
            case AU:
                return AuHeaderReader.parse(in, head);
            default:
                throw new IllegalArgumentException("not a PCM container: " + kind);
        }
    }
}
