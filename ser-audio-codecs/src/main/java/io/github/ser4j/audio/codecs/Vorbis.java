package io.github.ser4j.audio.codecs;

import com.jcraft.jogg.Packet;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import io.github.ser4j.api.CorruptAudioException;

import java.io.IOException;
import java.io.InputStream;

/** Ogg Vorbis decoding with JOrbis, to 32-bit little-endian float PCM. Not thread-safe. */
final class Vorbis extends DecodedInputStream {
    /** Sample rates and channel counts a Vorbis identification header may declare and we accept. */
    static final int MAX_CHANNELS = 8;

    private final InputStream raw;
    private final OggPackets ogg;
    private final Info info = new Info();
    private final Comment comment = new Comment();
    private final DspState dsp = new DspState();
    private final Block block;
    private final Packet jogg = new Packet();
    private final float[][][] pcm = new float[1][][];
    private int[] index;
    private long delivered;
    private long end = Long.MAX_VALUE;
    private boolean done;

    /** Reads the three header packets. */
    Vorbis(InputStream raw) throws IOException {
        this.raw = raw;
        this.ogg = new OggPackets(raw, "Vorbis");
        info.init();
        comment.init();
        for (int i = 0; i < 3; i++) {
            if (!ogg.next()) {
                throw ogg.corrupt("it ends inside its headers (" + i + " of 3)");
            }
            if (i == 1) {
                checkComments(ogg.packet, ogg.length);
            } else if (i == 2) {
                VorbisSetupCheck.check(ogg.packet, ogg.length);
            }
            int r;
            try {
                r = info.synthesis_headerin(comment, packet(ogg));
            } catch (RuntimeException e) {
                throw new CorruptAudioException("Ogg Vorbis stream: header " + i + " is damaged: " + e, e);
            }
            if (r < 0) {
                throw ogg.corrupt("header packet " + i + " is not a valid Vorbis header");
            }
            if (i == 0 && (info.channels < 1 || info.channels > MAX_CHANNELS || info.rate < 1
                    || info.rate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE)) {
                throw ogg.corrupt("the header declares " + info.channels + " channels at " + info.rate
                        + " Hz; supported: 1-" + MAX_CHANNELS + " channels, 1-"
                        + io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE + " Hz");
            }
        }
        try {
            dsp.synthesis_init(info);
            block = new Block(dsp);
        } catch (RuntimeException e) {
            throw new CorruptAudioException("Ogg Vorbis stream: its setup header is damaged: " + e, e);
        }
        index = new int[info.channels];
    }

    /**
     * Refuses a comment header (Vorbis I specification, section 5) whose declared lengths exceed the packet: JOrbis
     * allocates the vendor string, the comment list and every comment at their declared sizes before reading them.
     */
    static void checkComments(byte[] packet, int length) {
        long pos = 7;  // packet type 3 and "vorbis"
        long vendor = u32(packet, length, pos);
        pos += 4 + vendor;
        long count = u32(packet, length, pos);
        pos += 4;
        if (count > (length - pos) / 4) {
            throw new CorruptAudioException("Ogg Vorbis stream: the comment header declares " + count
                    + " comments in " + length + " bytes");
        }
        for (long k = 0; k < count; k++) {
            pos += 4 + u32(packet, length, pos);
        }
        if (pos > length) {
            throw new CorruptAudioException("Ogg Vorbis stream: the comment header's lengths exceed its "
                    + length + " bytes");
        }
    }

    /** The little-endian 32-bit length at {@code pos}, which must leave the packet room for that many bytes. */
    private static long u32(byte[] p, int length, long pos) {
        if (pos < 0 || pos + 4 > length) {
            throw new CorruptAudioException("Ogg Vorbis stream: the comment header ends inside a length field");
        }
        int i = (int) pos;
        long v = (p[i] & 0xFFL) | (p[i + 1] & 0xFFL) << 8 | (p[i + 2] & 0xFFL) << 16 | (p[i + 3] & 0xFFL) << 24;
        if (v > length - pos - 4) {
            throw new CorruptAudioException("Ogg Vorbis stream: the comment header declares " + v
                    + " bytes where " + (length - pos - 4) + " remain");
        }
        return v;
    }

    int sampleRate() {
        return info.rate;
    }

    int channels() {
        return info.channels;
    }

    private Packet packet(OggPackets o) {
        jogg.packet_base = o.packet;
        jogg.packet = 0;
        jogg.bytes = o.length;
        jogg.b_o_s = o.packetNumber == 0 ? 1 : 0;
        jogg.e_o_s = o.eos ? 1 : 0;
        jogg.granulepos = o.granule;
        jogg.packetno = o.packetNumber;
        return jogg;
    }

    @Override
    protected boolean decodeMore() throws IOException {
        while (!done) {
            if (drainPcm()) {
                return true;
            }
            if (!ogg.next()) {
                done = true;
                break;
            }
            if (ogg.eos && ogg.granule >= 0) {
                end = ogg.granule; // the last page's granule position trims the final block
            }
            try {
                if (block.synthesis(packet(ogg)) == 0) {
                    dsp.synthesis_blockin(block);
                }
            } catch (RuntimeException e) {
                throw new CorruptAudioException("Ogg Vorbis stream: audio packet " + ogg.packetNumber
                        + " cannot be decoded: " + e, e);
            }
        }
        return drainPcm();
    }

    private boolean drainPcm() {
        int n;
        try {
            n = dsp.synthesis_pcmout(pcm, index);
        } catch (RuntimeException e) {
            throw new CorruptAudioException("Ogg Vorbis stream: audio packet " + ogg.packetNumber
                    + " cannot be decoded: " + e, e);
        }
        if (n <= 0) {
            return false;
        }
        int keep = (int) Math.max(0, Math.min(n, end - delivered));
        int channels = info.channels;
        ensureOut(keep * channels * 4);
        int o = 0;
        for (int f = 0; f < keep; f++) {
            for (int c = 0; c < channels; c++) {
                int bits = Float.floatToRawIntBits(pcm[0][c][index[c] + f]);
                out[o++] = (byte) bits;
                out[o++] = (byte) (bits >> 8);
                out[o++] = (byte) (bits >> 16);
                out[o++] = (byte) (bits >> 24);
            }
        }
        dsp.synthesis_read(n);
        delivered += keep;
        pos = 0;
        limit = o;
        return o > 0;
    }

    @Override
    protected void release() throws IOException {
        raw.close();
    }
}
