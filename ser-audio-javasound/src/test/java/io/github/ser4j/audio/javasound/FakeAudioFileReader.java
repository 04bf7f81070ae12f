package io.github.ser4j.audio.javasound;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.AudioFileReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A test-only javax.sound file reader for a made-up container ("SER4JRAW", a little-endian u32 rate, a u16 channel
 * count, then big-endian 16-bit samples), registered on the test class path: proves that formats ser4j does not parse
 * itself are handed to the javax.sound service providers.
 */
public final class FakeAudioFileReader extends AudioFileReader {
    static final byte[] MAGIC = "SER4JRAW".getBytes(StandardCharsets.US_ASCII);

    /** Called by ServiceLoader. */
    public FakeAudioFileReader() {
    }

    @Override
    public AudioFileFormat getAudioFileFormat(InputStream stream) throws UnsupportedAudioFileException, IOException {
        stream.mark(16);
        try {
            return parse(stream);
        } finally {
            stream.reset();
        }
    }

    @Override
    public AudioInputStream getAudioInputStream(InputStream stream) throws UnsupportedAudioFileException, IOException {
        stream.mark(16);
        AudioFileFormat f;
        try {
            f = parse(stream);
        } catch (UnsupportedAudioFileException | IOException e) {
            stream.reset();
            throw e;
        }
        return new AudioInputStream(stream, f.getFormat(), AudioSystem.NOT_SPECIFIED);
    }

    private static AudioFileFormat parse(InputStream in) throws UnsupportedAudioFileException, IOException {
        byte[] h = in.readNBytes(14);
        if (h.length < 14) {
            throw new UnsupportedAudioFileException("too short");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (h[i] != MAGIC[i]) {
                throw new UnsupportedAudioFileException("not SER4JRAW");
            }
        }
        int rate = (h[8] & 0xFF) | (h[9] & 0xFF) << 8 | (h[10] & 0xFF) << 16 | (h[11] & 0xFF) << 24;
        int channels = (h[12] & 0xFF) | (h[13] & 0xFF) << 8;
        AudioFormat format = new AudioFormat(rate, 16, channels, true, true);
        return new AudioFileFormat(new AudioFileFormat.Type("SER4JRAW", "s4j"), format, AudioSystem.NOT_SPECIFIED);
    }

    @Override
    public AudioFileFormat getAudioFileFormat(URL url) throws UnsupportedAudioFileException {
        throw new UnsupportedAudioFileException("streams only");
    }

    @Override
    public AudioFileFormat getAudioFileFormat(File file) throws UnsupportedAudioFileException {
        throw new UnsupportedAudioFileException("streams only");
    }

    @Override
    public AudioInputStream getAudioInputStream(URL url) throws UnsupportedAudioFileException {
        throw new UnsupportedAudioFileException("streams only");
    }

    @Override
    public AudioInputStream getAudioInputStream(File file) throws UnsupportedAudioFileException {
        throw new UnsupportedAudioFileException("streams only");
    }
}
