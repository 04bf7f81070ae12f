package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.CorruptAudioException;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

import java.io.IOException;
import java.io.InputStream;

/** MPEG-1/2/2.5 audio layers I-III: recognition from the bytes, and decoding with JLayer. */
final class Mp3 {
    private static final int[][] BITRATES_V1 = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}};
    private static final int[][] BITRATES_V2 = {
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[] RATES_V1 = {44100, 48000, 32000};

    private Mp3() {
    }

    /**
     * A parsed frame header.
     *
     * @param sampleRate Hz
     * @param channels   1 or 2
     * @param length     frame length in bytes, header included
     * @param key        version, layer and rate, which every frame of a stream shares
     */
    record FrameHeader(int sampleRate, int channels, int length, int key) {
    }

    /** {@return the header at {@code b[at..at+4)}, or null if those bytes are not a valid MPEG audio frame header} */
    static FrameHeader header(byte[] b, int at, int n) {
        if (at + 4 > n) {
            return null;
        }
        int h = ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
        if ((h >>> 21) != 0x7FF) {
            return null;
        }
        int version = (h >>> 19) & 3; // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layer = (h >>> 17) & 3;   // 1: III, 2: II, 3: I
        int bitrateIndex = (h >>> 12) & 15;
        int rateIndex = (h >>> 10) & 3;
        int padding = (h >>> 9) & 1;
        int mode = (h >>> 6) & 3;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null; // reserved values; free format is not supported (JLayer does not decode it either)
        }
        int rate = RATES_V1[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int layerIndex = 3 - layer; // 0: I, 1: II, 2: III
        int kbps = version == 3 ? BITRATES_V1[layerIndex][bitrateIndex] : BITRATES_V2[layerIndex][bitrateIndex];
        int length;
        if (layerIndex == 0) {
            length = (12 * kbps * 1000 / rate + padding) * 4;
        } else if (layerIndex == 2 && version != 3) {
            length = 72 * kbps * 1000 / rate + padding;
        } else {
            length = 144 * kbps * 1000 / rate + padding;
        }
        return new FrameHeader(rate, mode == 3 ? 1 : 2, length, (h >>> 10) & 0x7FF | version << 12);
    }

    /** {@return the length of an ID3v2 tag at the start of {@code b}, or -1 if there is none} */
    static long id3Length(byte[] b, int n) {
        if (n < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3' || (b[3] & 0xFF) == 0xFF || (b[4] & 0xFF) == 0xFF) {
            return -1;
        }
        long size = 0;
        for (int i = 6; i < 10; i++) {
            if ((b[i] & 0x80) != 0) {
                return -1; // not syncsafe: not an ID3v2 header
            }
            size = (size << 7) | b[i];
        }
        return 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
    }

    /**
     * @return whether {@code b} starts with two consecutive frames of one MPEG audio stream (so random bytes with a
     * frame sync are not taken for MP3)
     */
    static boolean startsWithFrames(byte[] b, int n) {
        FrameHeader first = header(b, 0, n);
        if (first == null) {
            return false;
        }
        FrameHeader second = header(b, first.length(), n);
        return second != null && second.key() == first.key();
    }

    /**
     * Gapless information of a LAME/Xing "Info" frame, the first frame of most encoded files: it holds no audio, and
     * its LAME tag says how many samples the encoder added before (delay) and after (padding) the signal.
     *
     * @param frames  audio frames the tag counts, or -1 when it does not say
     * @param delay   encoder delay in samples
     * @param padding samples of padding at the end
     */
    record GaplessInfo(long frames, int delay, int padding) {
        /** Samples every MPEG audio decoder's synthesis filter bank adds in front (mpg123's and ffmpeg's figure). */
        static final int DECODER_DELAY = 529;
    }

    /** {@return the gapless information of the frame at the start of {@code b}, or null if it is an audio frame} */
    static GaplessInfo gapless(byte[] b, int n) {
        FrameHeader h = header(b, 0, n);
        if (h == null) {
            return null;
        }
        int version = (b[1] >> 3) & 3;
        boolean mono = ((b[3] >> 6) & 3) == 3;
        boolean crc = (b[1] & 1) == 0;
        int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int at = 4 + (crc ? 2 : 0) + sideInfo;
        if (at + 8 > n || at + 8 > h.length()) {
            return null;
        }
        String tag = new String(b, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (!tag.equals("Xing") && !tag.equals("Info")) {
            return null;
        }
        int flags = be32(b, at + 4);
        int p = at + 8;
        long frames = -1;
        if ((flags & 1) != 0) {
            if (p + 4 > n) {
                return null;
            }
            frames = be32(b, p) & 0xFFFFFFFFL;
            p += 4;
        }
        p += ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        int delay = 0;
        int padding = 0;
        if (p + 24 <= n && p + 24 <= h.length()) { // the LAME extension: 9-byte encoder name ... delay and padding
            delay = ((b[p + 21] & 0xFF) << 4) | ((b[p + 22] & 0xFF) >> 4);
            padding = ((b[p + 22] & 0x0F) << 8) | (b[p + 23] & 0xFF);
        }
        return new GaplessInfo(frames, delay, padding);
    }

    private static int be32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** Decoded 16-bit little-endian PCM of an MPEG audio stream. */
    static final class PcmStream extends DecodedInputStream {
        private final InputStream raw;
        private final Bitstream bitstream;
        private final Decoder decoder = new Decoder();
        private final int channels;
        private final int sampleRate;
        private long frames;

        private final GaplessInfo gapless;
        private long skip;
        private long remaining = Long.MAX_VALUE;

        /** @param gapless the first frame's gapless information, or null: the output is then not trimmed */
        PcmStream(InputStream raw, int sampleRate, int channels, GaplessInfo gapless) {
            this.raw = raw;
            this.bitstream = new Bitstream(raw);
            this.sampleRate = sampleRate;
            this.channels = channels;
            this.gapless = gapless;
            if (gapless != null) {
                skip = gapless.delay() + GaplessInfo.DECODER_DELAY;
            }
        }

        @Override
        protected boolean decodeMore() throws IOException {
            while (true) {
                Header h;
                SampleBuffer buffer;
                try {
                    h = bitstream.readFrame();
                    if (h == null) {
                        return false;
                    }
                    if (h.frequency() != sampleRate) {
                        throw new CorruptAudioException("MP3 stream: frame " + frames + " is at " + h.frequency()
                                + " Hz, the stream at " + sampleRate + " Hz (a spliced or damaged stream)");
                    }
                    buffer = (SampleBuffer) decoder.decodeFrame(h, bitstream);
                } catch (BitstreamException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new CorruptAudioException("MP3 stream: frame " + frames + " is damaged: " + e.getMessage(),
                            e);
                } catch (DecoderException | RuntimeException e) {
                    if (e instanceof CorruptAudioException c) {
                        throw c;
                    }
                    throw new CorruptAudioException("MP3 stream: frame " + frames + " cannot be decoded: " + e, e);
                } finally {
                    bitstream.closeFrame();
                }
                frames++;
                short[] s = buffer.getBuffer();
                int count = buffer.getBufferLength();
                int bufferChannels = buffer.getChannelCount();
                int outFrames = count / bufferChannels;
                if (frames == 1 && gapless != null) {
                    // the Info frame decodes to silence: not part of the signal; the tag gives the signal's length
                    if (gapless.frames() > 0) {
                        remaining = gapless.frames() * outFrames - gapless.delay() - gapless.padding();
                    }
                    continue;
                }
                int first = (int) Math.min(outFrames, skip);
                skip -= first;
                int last = (int) Math.min(outFrames, first + Math.max(0, remaining));
                remaining -= last - first;
                if (last <= first) {
                    if (remaining <= 0) {
                        return false;
                    }
                    continue;
                }
                ensureOut((last - first) * channels * 2);
                int o = 0;
                for (int f = first; f < last; f++) {
                    for (int c = 0; c < channels; c++) {
                        short v = s[f * bufferChannels + Math.min(c, bufferChannels - 1)];
                        out[o++] = (byte) v;
                        out[o++] = (byte) (v >> 8);
                    }
                }
                limit = o;
                return true;
            }
        }

        @Override
        protected void release() throws IOException {
            try {
                bitstream.close();
            } catch (BitstreamException e) {
                // closing a stream that failed: nothing more to report
            } finally {
                raw.close();
            }
        }
    }
}
