package io.github.ser4j.audio.codecs;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.AudioFileReader;

/**
 * The {@link File} and {@link URL} forms of a javax.sound reader, through its {@link InputStream} forms: the input is
 * opened buffered (the stream forms sniff with mark/reset), and closed again when the stream form refuses or fails
 * on it.
 *
 * <p>Thread-safety: stateless; safe for concurrent use when the subclass is.
 */
abstract class OwnedInputAudioFileReader extends AudioFileReader {
    @Override
    public AudioFileFormat getAudioFileFormat(URL url) throws UnsupportedAudioFileException, IOException {
        try (InputStream in = new BufferedInputStream(url.openStream())) {
            return getAudioFileFormat(in);
        }
    }

    @Override
    public AudioFileFormat getAudioFileFormat(File file) throws UnsupportedAudioFileException, IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()))) {
            return getAudioFileFormat(in);
        }
    }

    @Override
    public AudioInputStream getAudioInputStream(URL url) throws UnsupportedAudioFileException, IOException {
        return openOwned(new BufferedInputStream(url.openStream()));
    }

    @Override
    public AudioInputStream getAudioInputStream(File file) throws UnsupportedAudioFileException, IOException {
        return openOwned(new BufferedInputStream(Files.newInputStream(file.toPath())));
    }

    /**
     * {@return the first {@code limit} bytes of {@code stream} (fewer if it ends first); the stream is reset to where
     * it was}
     *
     * @throws IOException when the stream does not support mark/reset, or reading it fails
     */
    static byte[] peek(InputStream stream, int limit) throws IOException {
        if (!stream.markSupported()) {
            throw new IOException("the stream must support mark/reset");
        }
        stream.mark(limit);
        byte[] head = new byte[limit];
        int n = stream.readNBytes(head, 0, limit);
        stream.reset();
        return n == limit ? head : Arrays.copyOf(head, n);
    }

    private AudioInputStream openOwned(InputStream in) throws UnsupportedAudioFileException, IOException {
        boolean ok = false;
        try {
            AudioInputStream ais = getAudioInputStream(in);
            ok = true;
            return ais;
        } finally {
            if (!ok) {
                in.close();
            }
        }
    }
}
