package io.github.ser4j.audio.codecs;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opus in Ogg (RFC 7845) decoded with Concentus at 48 kHz to 16-bit little-endian PCM: pre-skip dropped, the header's
 * output gain applied, the end trimmed to the last page's granule position. Mono and stereo (channel mapping family
 * 0). Not thread-safe.
 */
final class Opus extends DecodedInputStream {
    static final int RATE = 48000;
    private static final int MAX_FRAME = 5760; // 120 ms at 48 kHz, the longest Opus packet

    private final InputStream raw;
    private final OggPackets ogg;
    private final OpusDecoder decoder;
    private final int channels;
    private final int preSkip;
    private final float gain;
    private final short[] pcm;
    private long decoded;  // samples per channel decoded, pre-skip included
    private long end = Long.MAX_VALUE;

    Opus(InputStream raw) throws IOException {
        this.raw = raw;
        this.ogg = new OggPackets(raw, "Opus");
        if (!ogg.next() || ogg.length < 19 || !startsWith(ogg.packet, "OpusHead")) {
            throw ogg.corrupt("the first packet is not an OpusHead header");
        }
        byte[] h = ogg.packet;
        int version = h[8] & 0xFF;
        if (version > 15) {
            throw new UnsupportedAudioException("Ogg Opus stream: header version " + version
                    + " is not supported (only major version 0 exists)");
        }
        channels = h[9] & 0xFF;
        preSkip = (h[10] & 0xFF) | (h[11] & 0xFF) << 8;
        short gainQ8 = (short) ((h[16] & 0xFF) | (h[17] & 0xFF) << 8);
        gain = (float) Math.pow(10, gainQ8 / (20.0 * 256));
        int family = h[18] & 0xFF;
        if (family != 0 || channels < 1 || channels > 2) {
            throw new UnsupportedAudioException("Ogg Opus stream: " + channels + " channels with channel mapping family "
                    + family + " are not supported; supported: mono and stereo (family 0)");
        }
        if (!ogg.next() || ogg.length < 8 || !startsWith(ogg.packet, "OpusTags")) {
            throw ogg.corrupt("the second packet is not an OpusTags header");
        }
        try {
            decoder = new OpusDecoder(RATE, channels);
        } catch (OpusException e) {
            throw new CorruptAudioException("Ogg Opus stream: the decoder refuses the header: " + e.getMessage(), e);
        }
        pcm = new short[MAX_FRAME * channels];
    }

    int channels() {
        return channels;
    }

    private static boolean startsWith(byte[] b, String magic) {
        for (int i = 0; i < magic.length(); i++) {
            if (b[i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected boolean decodeMore() throws IOException {
        while (ogg.next()) {
            if (ogg.eos && ogg.granule >= 0) {
                end = ogg.granule;
            }
            if (ogg.length == 0) {
                continue;
            }
            int n;
            try {
                n = decoder.decode(ogg.packet, 0, ogg.length, pcm, 0, MAX_FRAME, false);
            } catch (OpusException | RuntimeException e) {
                throw new CorruptAudioException("Ogg Opus stream: packet " + ogg.packetNumber + " cannot be decoded: "
                        + e.getMessage(), e);
            }
            long from = Math.max(decoded, preSkip);
            long to = Math.min(decoded + n, end);
            int first = (int) (from - decoded);
            int count = (int) Math.max(0, to - from);
            decoded += n;
            if (count == 0) {
                if (decoded >= end) {
                    return false;
                }
                continue;
            }
            ensureOut(count * channels * 2);
            int o = 0;
            for (int i = first * channels, stop = (first + count) * channels; i < stop; i++) {
                int v = gain == 1f ? pcm[i] : Math.max(-32768, Math.min(32767, Math.round(pcm[i] * gain)));
                out[o++] = (byte) v;
                out[o++] = (byte) (v >> 8);
            }
            pos = 0;
            limit = o;
            return true;
        }
        return false;
    }

    @Override
    protected void release() throws IOException {
        raw.close();
    }
}
