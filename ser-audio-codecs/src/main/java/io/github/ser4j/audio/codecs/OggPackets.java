package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.CorruptAudioException;

import java.io.IOException;
import java.io.InputStream;

/**
 * An Ogg demuxer (RFC 3533) for the first logical stream of a physical stream: reads pages, checks their CRC, and
 * reassembles packets across pages. Pages of other logical streams are skipped; a new stream after the first one's
 * end (a chained file) ends it. Memory is bounded by {@link #MAX_PACKET} per packet. Not thread-safe.
 */
final class OggPackets {
    /** The largest packet accepted; Opus and Vorbis audio packets are far smaller, tags with cover art may not be. */
    static final int MAX_PACKET = 16 << 20;
    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC[i] = r;
        }
    }

    private final InputStream in;
    private final String codec;
    private final byte[] header = new byte[27 + 255];
    private final byte[] body = new byte[255 * 255];
    private int segments;
    private int segment;
    private int bodyPos;
    private long pages;
    private long serial;
    private boolean serialKnown;
    private boolean pageEos;
    private long pageGranule;
    private boolean ended;

    /** The current packet: {@code packet[0, length)}. */
    byte[] packet = new byte[4096];
    int length;
    /** Granule position of the page on which the current packet ends, when it is the last packet ending there. */
    long granule;
    /** Whether the current packet is the last one of the stream. */
    boolean eos;
    long packetNumber = -1;

    OggPackets(InputStream in, String codec) {
        this.in = in;
        this.codec = codec;
    }

    /** {@return whether the first bytes are an Ogg page header ("OggS", version 0)} */
    static boolean isOgg(byte[] b, int n) {
        return n >= 27 && b[0] == 'O' && b[1] == 'g' && b[2] == 'g' && b[3] == 'S' && b[4] == 0;
    }

    /**
     * Reads the next packet into {@link #packet}.
     *
     * @return false at the end of the stream
     */
    boolean next() throws IOException {
        length = 0;
        while (true) {
            if (segment >= segments) {
                if (ended || !readPage()) {
                    if (length > 0) {
                        throw corrupt("the stream ends inside a packet");
                    }
                    return false;
                }
                continue;
            }
            int lacing = header[27 + segment] & 0xFF;
            append(body, bodyPos, lacing);
            bodyPos += lacing;
            segment++;
            if (lacing < 255) {
                packetNumber++;
                boolean lastOnPage = segment == segments;
                granule = lastOnPage ? pageGranule : -1;
                eos = lastOnPage && pageEos;
                if (eos) {
                    ended = true;
                }
                return true;
            }
        }
    }

    private void append(byte[] src, int at, int n) {
        if (length + n > packet.length) {
            if (length + n > MAX_PACKET) {
                throw corrupt("a packet is longer than " + (MAX_PACKET >> 20) + " MB");
            }
            packet = java.util.Arrays.copyOf(packet, Math.min(MAX_PACKET, Math.max(length + n, 2 * packet.length)));
        }
        System.arraycopy(src, at, packet, length, n);
        length += n;
    }

    /** {@return false at a clean end of the input (between pages)} */
    private boolean readPage() throws IOException {
        while (true) {
            int got = in.readNBytes(header, 0, 27);
            if (got == 0) {
                return false;
            }
            if (got < 27) {
                throw corrupt("the stream ends inside page " + pages + "'s header");
            }
            if (header[0] != 'O' || header[1] != 'g' || header[2] != 'g' || header[3] != 'S') {
                throw corrupt("page " + pages + " does not start with 'OggS' (the data between pages is damaged)");
            }
            if (header[4] != 0) {
                throw corrupt("page " + pages + " has Ogg version " + (header[4] & 0xFF) + "; only 0 exists");
            }
            int type = header[5] & 0xFF;
            segments = header[26] & 0xFF;
            readFully(header, 27, segments, "segment table");
            int bodyLength = 0;
            for (int i = 0; i < segments; i++) {
                bodyLength += header[27 + i] & 0xFF;
            }
            readFully(body, 0, bodyLength, "body");
            int stored = le32(header, 22);
            header[22] = header[23] = header[24] = header[25] = 0;
            int crc = crc(0, header, 0, 27 + segments);
            crc = crc(crc, body, 0, bodyLength);
            if (crc != stored) {
                throw corrupt("page " + pages + " fails its CRC check");
            }
            pages++;
            long pageSerial = le32(header, 14) & 0xFFFFFFFFL;
            boolean bos = (type & 2) != 0;
            if (!serialKnown) {
                if (!bos) {
                    throw corrupt("the first page does not begin a stream");
                }
                serial = pageSerial;
                serialKnown = true;
            } else if (pageSerial != serial) {
                if (bos && ended) {
                    return false; // a chained stream: the first one is what we decode
                }
                continue; // another logical stream, multiplexed
            }
            boolean isContinued = (type & 1) != 0;
            if (isContinued != (length > 0)) {
                throw corrupt("page " + pages + (isContinued ? " continues a packet that did not start"
                        : " starts a new packet while one is unfinished"));
            }
            pageEos = (type & 4) != 0;
            pageGranule = le64(header, 6);
            segment = 0;
            bodyPos = 0;
            return true;
        }
    }

    private void readFully(byte[] b, int off, int n, String what) throws IOException {
        if (in.readNBytes(b, off, n) < n) {
            throw corrupt("the stream ends inside page " + pages + "'s " + what);
        }
    }

    private static int crc(int crc, byte[] b, int off, int n) {
        for (int i = off; i < off + n; i++) {
            crc = (crc << 8) ^ CRC[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static long le64(byte[] b, int at) {
        return (le32(b, at) & 0xFFFFFFFFL) | (long) le32(b, at + 4) << 32;
    }

    CorruptAudioException corrupt(String what) {
        return new CorruptAudioException("Ogg " + codec + " stream: " + what);
    }
}
