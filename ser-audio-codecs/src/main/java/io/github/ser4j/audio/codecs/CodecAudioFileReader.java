package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A javax.sound reader of MP3 (MPEG-1/2/2.5 layers I-III, with or without an ID3v2 tag; JLayer), Ogg Vorbis (JOrbis)
 * and Ogg Opus (Concentus), registered in {@code META-INF/services/javax.sound.sampled.spi.AudioFileReader} so that
 * {@code ser-audio-javasound}, and so {@code AudioSource.open}, decodes them when this module is on the class path.
 * It recognises them from their bytes (an MP3 needs two consecutive valid frame headers, or an ID3v2 tag), and
 * delivers decoded PCM: 16-bit for MP3 and Opus (Opus at 48 kHz), 32-bit float for Vorbis. Encoder delay and padding
 * are trimmed as the reference decoders trim them: MP3 by the LAME/Xing "Info" frame (a file without one keeps them),
 * Vorbis and Opus by granule positions and Opus's pre-skip.
 *
 * <p>Damaged streams give {@link CorruptAudioException}, at open or while reading; surround Opus gives
 * {@link io.github.ser4j.api.UnsupportedAudioException}. Stateless and thread-safe.
 */
public final class CodecAudioFileReader extends OwnedInputAudioFileReader {
    private static final int SNIFF = 8192;

    /** Kinds this reader decodes. */
    enum Kind { MP3, VORBIS, OPUS }

    /** Creates the reader; called by {@link java.util.ServiceLoader}. */
    public CodecAudioFileReader() {
    }

    @Override
    public AudioFileFormat getAudioFileFormat(InputStream stream) throws UnsupportedAudioFileException, IOException {
        try (AudioInputStream ais = open(stream, true)) {
            AudioFormat f = ais.getFormat();
            return new AudioFileFormat(new AudioFileFormat.Type(kindName(f), ""), f, AudioSystem.NOT_SPECIFIED);
        }
    }

    @Override
    public AudioInputStream getAudioInputStream(InputStream stream) throws UnsupportedAudioFileException, IOException {
        return open(stream, false);
    }

    /** {@return the kind the first bytes announce, or null} */
    static Kind sniff(byte[] head, int n) {
        if (OggPackets.isOgg(head, n)) {
            // the first packet of the first page starts at 27 + segments
            int start = 27 + (head[26] & 0xFF);
            if (matches(head, n, start, "\u0001vorbis")) {
                return Kind.VORBIS;
            }
            if (matches(head, n, start, "OpusHead")) {
                return Kind.OPUS;
            }
            return null;
        }
        if (Mp3.id3Length(head, n) >= 0 || Mp3.startsWithFrames(head, n)) {
            return Kind.MP3;
        }
        return null;
    }

    private static boolean matches(byte[] b, int n, int at, String magic) {
        if (at + magic.length() > n) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[at + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String kindName(AudioFormat f) {
        Object k = f.getProperty("ser4j.codec");
        return k == null ? "compressed" : k.toString();
    }

    private static AudioInputStream open(InputStream stream, boolean probe) throws UnsupportedAudioFileException,
            IOException {
        byte[] head = peek(stream, SNIFF);
        Kind kind = sniff(head, head.length);
        if (kind == null) {
            throw new UnsupportedAudioFileException("not MP3, Ogg Vorbis or Ogg Opus");
        }
        DecodedInputStream pcm;
        AudioFormat format;
        switch (kind) {
            case MP3: {
                long id3 = Mp3.id3Length(head, head.length);
                if (id3 >= 0) {
                    // skipped here: JLayer would allocate the size the tag declares (up to 256 MB) to keep it
                    skip(stream, id3);
                }
                byte[] first = peek(stream, SNIFF);
                int m = first.length;
                if (!Mp3.startsWithFrames(first, m)) {
                    throw new UnsupportedAudioException("an ID3v2 tag of " + id3 + " bytes followed by no MPEG audio"
                            + " frames: not MP3 (AAC and other codecs with ID3 tags decode through ffmpeg)");
                }
                Mp3.FrameHeader h = Mp3.header(first, 0, m);
                pcm = new Mp3.PcmStream(new Id3v1Stripper(stream), h.sampleRate(), h.channels(),
                        Mp3.gapless(first, m));
                format = pcm16(h.sampleRate(), h.channels(), "MP3");
                break;
            }
            case VORBIS: {
                Vorbis v = new Vorbis(stream);
                pcm = v;
                format = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, v.sampleRate(), 32, v.channels(),
                        4 * v.channels(), v.sampleRate(), false, java.util.Map.of("ser4j.codec", "Ogg Vorbis"));
                break;
            }
            default: {
                Opus o = new Opus(stream);
                pcm = o;
                format = pcm16(Opus.RATE, o.channels(), "Ogg Opus");
                break;
            }
        }
        return new AudioInputStream(pcm, format, AudioSystem.NOT_SPECIFIED);
    }

    private static AudioFormat pcm16(int rate, int channels, String codec) {
        return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, channels, 2 * channels, rate, false,
                java.util.Map.of("ser4j.codec", codec));
    }

    private static void skip(InputStream stream, long bytes) throws IOException {
        byte[] scratch = new byte[8192];
        long left = bytes;
        while (left > 0) {
            int got = stream.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (got < 0) {
                throw new CorruptAudioException("MP3 stream: it ends inside its ID3v2 tag, which declares " + bytes
                        + " bytes");
            }
            left -= got;
        }
    }
}
